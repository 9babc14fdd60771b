import { describe, expect, it } from 'vitest';
import { compileJsonPath, compileSampleReader, decodeSample, readSignalSample } from './decode-sample.ts';

describe('compileJsonPath', () => {
  it('compiles names and indices', () => {
    expect(compileJsonPath('data.values[2].temperature')).toEqual(['data', 'values', 2, 'temperature']);
    expect(compileJsonPath('axes[0]')).toEqual(['axes', 0]);
  });

  it('refuses malformed paths', () => {
    for (const path of ['', '.a', 'a.', 'a..b', 'a[x]', 'a[1']) expect(() => compileJsonPath(path), path).toThrow(/malformed/);
  });
});

describe('decodeSample', () => {
  it('reads a bare number, a boolean, or a value field', () => {
    expect(decodeSample('42.5', undefined)).toEqual({ ok: true, value: 42.5 });
    expect(decodeSample('true', undefined)).toEqual({ ok: true, value: 1 });
    expect(decodeSample('{"value": -3, "ts": 1700000000}', undefined)).toEqual({ ok: true, value: -3, sourceTime: 1_700_000_000_000 });
  });

  it('follows a path', () => {
    expect(decodeSample('{"drive": {"speed": [1, 7]}}', compileJsonPath('drive.speed[1]'))).toEqual({ ok: true, value: 7 });
  });

  it('names what is wrong with a bad payload', () => {
    expect(decodeSample('{"value": ', undefined)).toMatchObject({ ok: false, kind: 'malformedPayload' });
    expect(decodeSample('{"value": "hot"}', undefined)).toEqual({ ok: false, kind: 'wrongType', detail: 'expected a number, got the string "hot" (the signal has no states to map text to)' });
    expect(decodeSample('{"temp": 3}', undefined)).toMatchObject({ ok: false, kind: 'missingField' });
    expect(decodeSample('{"drive": {}}', compileJsonPath('drive.speed'))).toEqual({ ok: false, kind: 'missingField', detail: 'no "speed" in payload' });
    expect(decodeSample('null', undefined)).toMatchObject({ ok: false, kind: 'wrongType' });
  });
});

describe('readSignalSample', () => {
  const read = (payload: string, signal: Parameters<typeof compileSampleReader>[0] = {}) => readSignalSample(JSON.parse(payload), compileSampleReader(signal));
  const states = { RUNNING: 1, IDLE: 0, FAULT: 2 };

  it('reads numbers, booleans and value objects as before, with scale and offset on numbers only', () => {
    expect(read('42.5')).toEqual({ ok: true, value: 42.5, sourceTime: undefined });
    expect(read('{"value": 20}', { scale: 1.8, offset: 32 })).toEqual({ ok: true, value: 68, sourceTime: undefined });
    expect(read('true', { scale: 10, offset: 5 })).toEqual({ ok: true, value: 1, sourceTime: undefined });
    expect(read('{"drive": {"speed": [1, 7]}}', { path: 'drive.speed[1]', scale: 2 })).toMatchObject({ ok: true, value: 14 });
  });

  it('maps text through states: exactly, then ignoring case; other text is an unknown state, shown shortened', () => {
    expect(read('"RUNNING"', { states, scale: 10 })).toMatchObject({ ok: true, value: 1 });
    expect(read('{"value": "fault"}', { states })).toMatchObject({ ok: true, value: 2 });
    expect(read('" Idle "', { states })).toMatchObject({ ok: true, value: 0 });
    expect(read('"STOPPED"', { states })).toEqual({ ok: false, kind: 'unknownState', detail: 'the string "STOPPED" is none of the signal\'s states' });
    const long = read(JSON.stringify('X'.repeat(5000)), { states });
    expect(long).toMatchObject({ ok: false, kind: 'unknownState' });
    expect(long.ok ? '' : long.detail.length).toBeLessThan(100);
    // Names that differ only in case are matched exactly, never by guessing.
    const cased = { On: 1, ON: 2 };
    expect(read('"ON"', { states: cased })).toMatchObject({ value: 2 });
    expect(read('"on"', { states: cased })).toMatchObject({ ok: false, kind: 'unknownState' });
  });

  it('reads a numeric text as a number only when the signal has no states', () => {
    expect(read('"71.5"', { scale: 2 })).toMatchObject({ ok: true, value: 143 });
    expect(read('{"value": "-1e3"}')).toMatchObject({ ok: true, value: -1000 });
    expect(read('"71.5"', { states })).toMatchObject({ ok: false, kind: 'unknownState' });
    for (const text of ['0x10', ' 5', 'Infinity', 'NaN', '', '1,5', 'hot']) expect(read(JSON.stringify(text)), text).toMatchObject({ ok: false, kind: 'wrongType' });
  });

  it('gives NaN for bad quality whatever the value, keeps an uncertain value, and reads OPC UA and DA codes', () => {
    const quality = (q: unknown, value: unknown = 5) => read(JSON.stringify({ value, quality: q }));
    for (const good of ['good', 'OK', ' Good ', 192, 216, 0, 0x0000_0400, true, null]) expect(quality(good), String(good)).toEqual({ ok: true, value: 5, sourceTime: undefined });
    for (const uncertain of ['uncertain', 'Uncertain_LastUsable', 0x4000_0000, 0x408f_0000, 64, 84]) expect(quality(uncertain), String(uncertain)).toEqual({ ok: true, value: 5, sourceTime: undefined });
    for (const bad of ['bad', 'BAD_sensor_failure', 'stale', '', 24, 128, 0x8000_0000, 0x8034_0000, 0xc000_0000, -1, 1.5, 2 ** 32, false, {}, []]) {
      const result = quality(bad);
      expect(result.ok && Number.isNaN(result.value), JSON.stringify(bad)).toBe(true);
    }
    // A bad sample usually carries null or nothing as its value: still a bad-quality sample, not a wrong type.
    expect(read('{"value": null, "q": "bad"}')).toMatchObject({ ok: true, value: Number.NaN });
    expect(read('{"q": 2147483648}')).toMatchObject({ ok: true, value: Number.NaN });
    expect(read('{"value": null, "q": "good"}')).toMatchObject({ ok: false, kind: 'wrongType' });
    // The short form.
    expect(read('{"v": 3, "t": 1700000000, "q": 0}')).toEqual({ ok: true, value: 3, sourceTime: 1_700_000_000_000 });
    // A state text of bad quality is bad quality, even when it is no known state.
    expect(read('{"value": "WHATEVER", "quality": "bad"}', { states })).toMatchObject({ ok: true, value: Number.NaN });
  });

  it('takes the payload’s own timestamp: ms, seconds below 1e11, ISO 8601 with a zone; anything else is ignored', () => {
    const at = (timestamp: unknown, field = 'timestamp') => {
      const result = read(JSON.stringify({ value: 1, [field]: timestamp }));
      return result.ok ? result.sourceTime : 'refused';
    };
    expect(at(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(at(1_700_000_000.5, 'ts')).toBe(1_700_000_000_500);
    expect(at('2026-11-25T06:04:51.250Z', 'time')).toBe(Date.UTC(2026, 10, 25, 6, 4, 51, 250));
    expect(at('2026-11-25T07:04:51+01:00')).toBe(Date.UTC(2026, 10, 25, 6, 4, 51));
    for (const ignored of ['2026-11-25T06:04:51', 'yesterday', '1700000000000', 'Tue, 25 Nov 2026 06:04:51 GMT', -5, 0, null, {}, `2026-11-25T06:04:51${'0'.repeat(100)}Z`]) {
      expect(at(ignored), JSON.stringify(ignored)).toBeUndefined();
    }
    // Along a path, the value's own object has none, so the payload's top-level timestamp is used; `t` alone is no timestamp.
    expect(read('{"ts": 1700000000000, "data": {"temperature": 71}}', { path: 'data.temperature' })).toEqual({ ok: true, value: 71, sourceTime: 1_700_000_000_000 });
    expect(read('{"t": 21.5, "h": 40}', { path: 't' })).toEqual({ ok: true, value: 21.5, sourceTime: undefined });
    expect(read('{"value": 4, "t": 1700000000}')).toEqual({ ok: true, value: 4, sourceTime: undefined });
  });

  it('follows a path to a value object, and never yields a value beyond the doubles', () => {
    expect(read('{"axes": [{"value": 2, "quality": "good"}]}', { path: 'axes[0]', scale: 3 })).toMatchObject({ ok: true, value: 6 });
    expect(read('{"axes": [{"speed": 2}]}', { path: 'axes[0]' })).toEqual({ ok: false, kind: 'missingField', detail: 'no "value" field in payload' });
    expect(read('{"a": "text"}', { path: 'a.b' })).toMatchObject({ ok: false, kind: 'missingField' });
    expect(read('{"a": {}}', { path: 'a.toString' })).toMatchObject({ ok: false, kind: 'missingField' });
    expect(read('1e308', { scale: 10 })).toMatchObject({ ok: false, kind: 'wrongType' });
    expect(read('[1, 2]')).toMatchObject({ ok: false, kind: 'wrongType' });
  });
});
