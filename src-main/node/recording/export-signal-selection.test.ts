import { describe, expect, it } from 'vitest';
import { nearMatches, selectExportSignals, UnknownSignalError } from './export-signal-selection.ts';

const keys = ['stand-f4/roll-force', 'stand-f4/temperature', 'stand-f3/roll-force', 'pump/pressure'];
const machines = ['stand-f4', 'stand-f3', 'pump', 'crane'];

describe('selectExportSignals', () => {
  it('takes every signal for no request, a machine for a name without "/", each key once in the order asked', () => {
    expect(selectExportSignals([], keys, machines, 'r.twinline')).toEqual(keys);
    expect(selectExportSignals(['pump', 'stand-f4/temperature', 'stand-f4'], keys, machines, 'r.twinline')).toEqual(['pump/pressure', 'stand-f4/temperature', 'stand-f4/roll-force']);
  });

  it('names every unknown request with its near matches in one error', () => {
    expect(() => selectExportSignals(['stand-f9', 'pump/presure', 'crane'], keys, machines, 'r.twinline')).toThrow(
      new UnknownSignalError(
        'The recording r.twinline has no machine "stand-f9" (near matches: stand-f3, stand-f4); no signal "pump/presure" (near matches: pump/pressure); the machine "crane" recorded no signals. A name without "/" means a whole machine; --list shows every signal.',
      ),
    );
  });
});

describe('nearMatches', () => {
  it('finds names within a few edits or containing the text, nearest first, and none for a far one', () => {
    expect(nearMatches('temprature', keys, 5)).toEqual(['stand-f4/temperature']);
    expect(nearMatches('F4', keys, 5)).toEqual(['stand-f4/roll-force', 'stand-f4/temperature']);
    expect(nearMatches('conveyor-belt-7', keys, 5)).toEqual([]);
  });

  it('stays quick for a huge request against many signals', () => {
    const many = Array.from({ length: 50_000 }, (_, index) => `machine-${index}/signal-${index}`);
    const began = performance.now();
    expect(nearMatches('x'.repeat(1_000_000), many, 5)).toEqual([]);
    expect(nearMatches('machine-4999/signal-499', many, 5)[0]).toBe('machine-4999/signal-4999');
    expect(performance.now() - began).toBeLessThan(5000);
  });
});
