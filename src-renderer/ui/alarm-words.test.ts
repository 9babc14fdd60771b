import { describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../src-main/common/parse-plant.ts';
import { alarmsInScope, alarmWords } from './alarm-words.ts';

const plant = parsePlantOrThrow(`name: Alarms
machines:
  - { id: stand-f4, name: Finishing stand F4, area: Mill, line: Finishing, primitive: { shape: box }, signals: [{ id: roll-force, name: roll force, topic: a }] }
  - { id: pump-1, name: Cooling pump 1, area: Utilities, line: Water, primitive: { shape: box }, signals: [{ id: pressure, topic: b }] }
`);
const description = { plant, signalKeys: ['stand-f4/roll-force', 'pump-1/pressure'], signalMachine: [0, 1], modelsBaseUrl: '', sourceLabel: '' };
const time = Date.UTC(2026, 10, 25, 10, 22, 40, 300);

describe('alarm words', () => {
  it('names the machine, the signal and the moment with its zone', () => {
    expect(alarmWords(description, { time, machine: 0, signal: 0 }, 'utc')).toBe('Finishing stand F4 — roll force, 2026-11-25 10:22:40.3 UTC');
    expect(alarmWords(description, { time, machine: 1, signal: 1 }, 'utc')).toBe('Cooling pump 1 — pressure, 2026-11-25 10:22:40.3 UTC');
    // A signal the host could not tell leaves just the machine.
    expect(alarmWords(description, { time, machine: 1, signal: null }, 'utc')).toBe('Cooling pump 1, 2026-11-25 10:22:40.3 UTC');
  });

  it('keeps only the selected machine\'s alarms when asked', () => {
    const alarms = [{ time: 1, machine: 0, signal: 0 }, { time: 2, machine: 1, signal: 1 }, { time: 3, machine: 0, signal: 0 }];
    expect(alarmsInScope(alarms, null)).toEqual(alarms);
    expect(alarmsInScope(alarms, 0).map((alarm) => alarm.time)).toEqual([1, 3]);
  });
});
