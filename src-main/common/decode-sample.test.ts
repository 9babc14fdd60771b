import { describe, expect, it } from 'vitest';
import { compileJsonPath, decodeSample } from './decode-sample.ts';

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
    expect(decodeSample('{"value": -3, "ts": 1}', undefined)).toEqual({ ok: true, value: -3 });
  });

  it('follows a path', () => {
    expect(decodeSample('{"drive": {"speed": [1, 7]}}', compileJsonPath('drive.speed[1]'))).toEqual({ ok: true, value: 7 });
  });

  it('names what is wrong with a bad payload', () => {
    expect(decodeSample('{"value": ', undefined)).toMatchObject({ ok: false, kind: 'malformedPayload' });
    expect(decodeSample('{"value": "hot"}', undefined)).toEqual({ ok: false, kind: 'wrongType', detail: 'expected a number, got the string "hot"' });
    expect(decodeSample('{"temp": 3}', undefined)).toMatchObject({ ok: false, kind: 'missingField' });
    expect(decodeSample('{"drive": {}}', compileJsonPath('drive.speed'))).toEqual({ ok: false, kind: 'missingField', detail: 'no "speed" in payload' });
    expect(decodeSample('null', undefined)).toMatchObject({ ok: false, kind: 'wrongType' });
  });
});
