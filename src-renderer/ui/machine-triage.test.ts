import { describe, expect, it } from 'vitest';
import { Health } from '../../src-main/common/health.ts';
import { parsePlantOrThrow } from '../../src-main/common/parse-plant.ts';
import { countAbnormal, machineMatches, signalName } from './machine-triage.ts';

const plant = parsePlantOrThrow(`name: Triage
machines:
  - { id: stand-f4, name: Finishing stand F4, area: Rolling mill, line: Finishing, primitive: { shape: box }, signals: [{ id: roll-force, name: roll force, topic: a }, { id: speed, topic: b }] }
  - { id: pump-1, name: Cooling pump 1, area: Utilities, line: Water, primitive: { shape: box }, signals: [{ id: pressure, topic: c }] }
`);

describe('machine triage', () => {
  it('counts machines per state that is not ok, most urgent first, in words', () => {
    const health = [Health.alarm, Health.alarm, Health.warn, Health.offline, Health.stale, Health.ok, Health.offline, 99];
    expect(countAbnormal(health).map((count) => count.words)).toEqual(['2 alarms', '1 warning', '2 offline', '1 stale', '1 unknown']);
    expect(countAbnormal([Health.ok, Health.ok])).toEqual([]);
  });

  it('filters by state and by text in name, id, area or line, in any case', () => {
    const [stand, pump] = plant.machines as [(typeof plant.machines)[0], (typeof plant.machines)[0]];
    expect(machineMatches(stand, Health.alarm, { text: '', state: 'alarm' })).toBe(true);
    expect(machineMatches(pump, Health.ok, { text: '', state: 'alarm' })).toBe(false);
    expect(machineMatches(stand, Health.ok, { text: 'F4', state: null })).toBe(true);
    expect(machineMatches(pump, Health.ok, { text: 'pump-', state: null })).toBe(true);
    expect(machineMatches(pump, Health.ok, { text: ' utilities ', state: null })).toBe(true);
    expect(machineMatches(stand, Health.ok, { text: 'finishing', state: 'ok' })).toBe(true);
    expect(machineMatches(stand, Health.ok, { text: 'pump', state: null })).toBe(false);
  });

  it('filters to predicted machines when asked, with the state and the text', () => {
    const [stand, pump] = plant.machines as [(typeof plant.machines)[0], (typeof plant.machines)[0]];
    expect(machineMatches(stand, Health.ok, { text: '', state: null, predicted: true }, true)).toBe(true);
    expect(machineMatches(pump, Health.ok, { text: '', state: null, predicted: true }, false)).toBe(false);
    expect(machineMatches(pump, Health.ok, { text: '', state: null, predicted: true })).toBe(false);
    expect(machineMatches(stand, Health.ok, { text: '', state: 'alarm', predicted: true }, true)).toBe(false);
    expect(machineMatches(stand, Health.ok, { text: 'pump', state: null, predicted: true }, true)).toBe(false);
    expect(machineMatches(pump, Health.ok, { text: '', state: null, predicted: false }, false)).toBe(true);
  });

  it('names a signal by its name, else its id', () => {
    const description = { plant, signalKeys: ['stand-f4/roll-force', 'stand-f4/speed', 'pump-1/pressure'], signalMachine: [0, 0, 1], modelsBaseUrl: '', sourceLabel: '' };
    expect([0, 1, 2, null, 7].map((index) => signalName(description, index))).toEqual(['roll force', 'speed', 'pressure', undefined, undefined]);
  });
});
