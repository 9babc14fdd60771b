import { describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from './parse-plant.ts';
import { resolveBrokers } from './resolve-brokers.ts';

const plant = (brokers: string) =>
  parsePlantOrThrow(`name: p
${brokers}
machines:
  - { id: m, name: M, area: A, line: L, primitive: { shape: box } }
`);

describe('resolveBrokers', () => {
  it('gives a plant without brokers one implicit broker, reached at the bare --broker URL', () => {
    expect(resolveBrokers(plant(''), { '': 'mqtt://h:1' })).toEqual({ brokers: [{ id: 'default', protocol: 4, url: 'mqtt://h:1' }], missing: [] });
    expect(resolveBrokers(plant(''), {}).missing).toEqual(['default']);
  });

  it('takes URLs from the plant file, overridden by id', () => {
    const twoBrokers = plant('brokers:\n  - { id: a, url: "mqtt://a:1" }\n  - { id: b }');
    expect(resolveBrokers(twoBrokers, {})).toEqual({ brokers: [{ id: 'a', protocol: 4, url: 'mqtt://a:1' }], missing: ['b'] });
    expect(resolveBrokers(twoBrokers, { b: 'mqtt://b:2', '': 'mqtt://first:3' }).brokers).toEqual([
      { id: 'a', protocol: 4, url: 'mqtt://first:3' },
      { id: 'b', protocol: 4, url: 'mqtt://b:2' },
    ]);
  });
});
