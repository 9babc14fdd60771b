import { describe, expect, it } from 'vitest';
import { formatViewLink, parseViewLink } from '../../state/view-url.ts';
import { parsePinnedKeys } from './chart-pins-link.ts';

describe('pinned signals in the view link', () => {
  it('round-trip through the fragment beside the machine, time and mode', () => {
    const link = { machine: 'press-1', time: 1764584543000, mode: 'replay' as const, pins: ['press-1/temperature', 'pump-1/pressure'] };
    expect(parseViewLink(`#${formatViewLink(link)}`)).toEqual(link);
    expect(formatViewLink({ mode: 'live', pins: [] })).toBe('mode=live');
  });

  it('keep only well-formed keys, each once, and at most eight', () => {
    expect(parsePinnedKeys('press-1/temperature,<script>,a/b/c,press-1/temperature,/x,pump-1/')).toEqual(['press-1/temperature']);
    expect(parsePinnedKeys(Array.from({ length: 20 }, (_, index) => `m${index}/s`).join(','))).toHaveLength(8);
    expect(parsePinnedKeys(',,')).toBeUndefined();
    expect(parsePinnedKeys(null)).toBeUndefined();
  });
});
