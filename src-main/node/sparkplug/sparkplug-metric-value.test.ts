import { describe, expect, it } from 'vitest';
import { compileSampleReader } from '../../common/decode-sample.ts';
import { readMetricSample } from './sparkplug-metric-value.ts';
import { SparkplugDataType } from './sparkplug-payload-codec.ts';

describe('readMetricSample', () => {
  const reader = compileSampleReader({ states: { RUNNING: 1, FAULT: 2 }, scale: 10, offset: -5 });

  it('reads a state as the JSON reader does: its code, unscaled, ignoring case and surrounding spaces', () => {
    expect(readMetricSample({ stringValue: 'FAULT' }, SparkplugDataType.String, undefined, reader)).toEqual({ ok: true, value: 2, sourceTime: undefined });
    expect(readMetricSample({ stringValue: ' running ' }, SparkplugDataType.String, 5, reader)).toEqual({ ok: true, value: 1, sourceTime: 5 });
    expect(readMetricSample({ stringValue: 'STOPPED' }, SparkplugDataType.String, undefined, reader)).toMatchObject({ ok: false, kind: 'unknownState' });
  });

  it('scales and offsets numbers, and refuses one that no double can hold once scaled', () => {
    expect(readMetricSample({ doubleValue: 7 }, SparkplugDataType.Double, undefined, reader)).toEqual({ ok: true, value: 65, sourceTime: undefined });
    expect(readMetricSample({ doubleValue: Number.MAX_VALUE }, SparkplugDataType.Double, undefined, reader)).toMatchObject({ ok: false, kind: 'wrongType' });
  });
});
