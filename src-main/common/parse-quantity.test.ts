import { describe, expect, it } from 'vitest';
import { parseByteSize, parseDuration } from './parse-quantity.ts';

describe('parseByteSize', () => {
  it('reads decimal and binary units, in any case, with or without a space', () => {
    expect(parseByteSize('500MB', '--keep')).toBe(500e6);
    expect(parseByteSize('20 gb', '--keep')).toBe(20e9);
    expect(parseByteSize('1.5GiB', '--keep')).toBe(1.5 * 2 ** 30);
    expect(parseByteSize('4096', '--keep')).toBe(4096);
  });

  it('names the setting and the text it could not read', () => {
    expect(() => parseByteSize('12XB', '--keep')).toThrow('--keep must be a size like 500MB or 20GB, not "12XB"');
    expect(() => parseByteSize('0GB', '--keep')).toThrow(/--keep/);
    expect(() => parseByteSize('-1GB', '--keep')).toThrow(/--keep/);
  });
});

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(parseDuration('90s', '--file-age')).toBe(90_000);
    expect(parseDuration('30m', '--file-age')).toBe(1_800_000);
    expect(parseDuration('1h', '--file-age')).toBe(3_600_000);
    expect(parseDuration('7d', '--file-age')).toBe(7 * 86_400_000);
  });

  it('refuses what is not a duration', () => {
    expect(() => parseDuration('soon', '--file-age')).toThrow('--file-age must be a duration like 30m, 1h or 7d, not "soon"');
    expect(() => parseDuration('1 fortnight', '--file-age')).toThrow(/--file-age/);
  });
});
