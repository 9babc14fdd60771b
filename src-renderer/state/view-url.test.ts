import { describe, expect, it } from 'vitest';
import { formatViewLink, parseViewLink } from './view-url.ts';

describe('view link', () => {
  it('reads back what it writes', () => {
    const link = { machine: 'stand-f4', time: 1_764_584_543_000, mode: 'replay' as const };
    expect(formatViewLink(link)).toBe('machine=stand-f4&time=1764584543000&mode=replay');
    expect(parseViewLink(`#${formatViewLink(link)}`)).toEqual(link);
    expect(parseViewLink('#mode=live')).toEqual({ mode: 'live' });
  });

  it('leaves out parts that are malformed or out of range, and reads nothing of an oversized fragment', () => {
    expect(parseViewLink('#machine=<script>&time=-5&mode=rewind')).toEqual({});
    expect(parseViewLink('#time=1e12&machine=a%2Fb')).toEqual({});
    expect(parseViewLink('#time=99999999999999999')).toEqual({});
    expect(parseViewLink(`#machine=press-1&x=${'a'.repeat(2000)}`)).toEqual({});
    expect(parseViewLink('')).toEqual({});
  });
});
