import { describe, expect, it } from 'vitest';
import { readEngineeringProperties } from './sparkplug-metric-properties.ts';
import { decodeSparkplugPayload, encodeSparkplugPayload, type SparkplugMetric, type SparkplugMetricInput } from './sparkplug-payload-codec.ts';

/** A metric as the host sees it: encoded by Tahu, decoded from the bytes. */
function decoded(properties: SparkplugMetricInput['properties']): SparkplugMetric {
  const outcome = decodeSparkplugPayload(encodeSparkplugPayload({ metrics: [{ name: 'M', type: 'Double', value: 1, properties }] }));
  if (!outcome.ok) throw new Error(outcome.detail);
  return outcome.payload.metrics![0]!;
}

describe('readEngineeringProperties', () => {
  it('reads engUnit as text and engLow/engHigh from every numeric type, by their declared type', () => {
    expect(readEngineeringProperties(decoded({ engUnit: { type: 'String', value: 'bar' }, engLow: { type: 'Int64', value: -5 }, engHigh: { type: 'UInt32', value: 4_000_000_000 } }))).toEqual({
      unit: 'bar',
      low: -5,
      high: 4_000_000_000,
    });
    expect(readEngineeringProperties(decoded({ engLow: { type: 'Int16', value: -300 }, engHigh: { type: 'Float', value: 2.5 } }))).toEqual({ low: -300, high: 2.5 });
    expect(readEngineeringProperties(decoded({ EngUnit: { type: 'Text', value: 'm³/h' }, ENGHIGH: { type: 'UInt8', value: 200 } }))).toEqual({ unit: 'm³/h', high: 200 });
  });

  it('gives a property that is null or of another type as given but unknown, and none at all for a metric without them', () => {
    expect(readEngineeringProperties(decoded({ engUnit: { type: 'String', value: null }, engLow: { type: 'String', value: '0' }, engHigh: { type: 'Boolean', value: true } }))).toStrictEqual({
      unit: undefined,
      low: undefined,
      high: undefined,
    });
    expect(readEngineeringProperties(decoded({ Quality: { type: 'Int32', value: 192 } }))).toBeUndefined();
    expect(readEngineeringProperties(decoded(undefined))).toBeUndefined();
  });
});
