import { describe, expect, it } from 'vitest';
import { elapsedWords } from './elapsed-words.ts';

describe('elapsedWords', () => {
  it('says seconds, minutes, hours and days in whole units, rounded down', () => {
    const start = 1_764_000_000_000;
    expect(elapsedWords(start, start + 12_999)).toBe('12 s');
    expect(elapsedWords(start, start + 59_999)).toBe('59 s');
    expect(elapsedWords(start, start + 4 * 60_000 + 59_000)).toBe('4 min');
    expect(elapsedWords(start, start + 2 * 3_600_000)).toBe('2 h');
    expect(elapsedWords(start, start + 2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(elapsedWords(start, start + 3 * 86_400_000)).toBe('3 d');
    expect(elapsedWords(start, start + 3 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000)).toBe('3 d 4 h');
  });

  it('reads a moment a little in the future as 0 s', () => {
    expect(elapsedWords(2000, 1000)).toBe('0 s');
  });
});
