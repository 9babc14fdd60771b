import { describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { testPlant, testPlantText, unusedBroker } from './test-plants.ts';

describe('test plants', () => {
  it('parse as the plant file written out by hand, with each machine in area A, line L as a box named after its id', () => {
    // Written as a plant author might: flow mappings throughout, every default spelled out.
    const written = parsePlantOrThrow(`name: Written line
maxPayloadBytes: 2048
brokers: [{ id: line, url: "mqtt://127.0.0.1:9" }]
machines:
  - { id: oven, name: Oven, area: A, line: L, primitive: { shape: box }, signals: [
      { id: temperature, topic: t/oven, unit: °C, limits: { highAlarm: 90 } },
      { id: mode, topic: t/mode, states: { RUNNING: 1, Out of service: 3 } } ] }
  - { id: tank, name: Water tank, area: Utilities, line: Water, primitive: { shape: cylinder }, signals: [
      { id: level, sparkplug: { group: Mill, node: N1, device: D1, metric: Level }, scale: 0.1 } ] }
`);
    const built = testPlant({
      name: 'Written line',
      settings: { maxPayloadBytes: 2048 },
      brokers: [unusedBroker],
      machines: [
        {
          id: 'oven',
          signals: [
            { id: 'temperature', topic: 't/oven', unit: '°C', limits: { highAlarm: 90 } },
            { id: 'mode', topic: 't/mode', states: { RUNNING: 1, 'Out of service': 3 } },
          ],
        },
        {
          id: 'tank',
          name: 'Water tank',
          area: 'Utilities',
          line: 'Water',
          primitive: { shape: 'cylinder' },
          signals: [{ id: 'level', sparkplug: { group: 'Mill', node: 'N1', device: 'D1', metric: 'Level' }, scale: 0.1 }],
        },
      ],
    });
    expect(built).toEqual(written);
  });

  it('leaves the brokers out when the test names none, and writes a model instead of the box when given one', () => {
    const text = testPlantText({ name: 'Bare', machines: [{ id: 'press', fields: { model: { file: 'press.glb' } }, signals: [{ id: 'force', topic: 't/force' }] }] });
    expect(text).not.toContain('brokers');
    expect(text).not.toContain('primitive');
    expect(parsePlantOrThrow(text).machines[0]).toMatchObject({ id: 'press', name: 'Press', area: 'A', line: 'L', model: { file: 'press.glb' } });
  });
});
