import { approximateNumber, hasField, SparkplugDataType, type SparkplugMetric, type SparkplugPropertyValue } from './sparkplug-payload-codec.ts';

/**
 * What a metric's property set says of its engineering unit and range (the `engUnit`, `engLow` and
 * `engHigh` properties of Ignition and Eclipse Tahu). A field is present when its property is, and
 * undefined when the property is null or of a type it cannot be read from.
 */
export interface EngineeringProperties {
  unit?: string | undefined;
  low?: number | undefined;
  high?: number | undefined;
}

/** Property keys read, by their lower-case form (keys are matched ignoring case: some tools write `EngUnit`). */
const fields = { engunit: 'unit', englow: 'low', enghigh: 'high' } as const;

/** Most property keys looked at per metric: a property set is a handful of keys, never thousands. */
const maxPropertyKeys = 64;

/**
 * The engineering unit and range a metric's properties give, or undefined when it has none of those
 * properties (a data message that carries only a Quality says nothing about them).
 */
export function readEngineeringProperties(metric: SparkplugMetric): EngineeringProperties | undefined {
  const properties = metric.properties;
  if (!properties?.keys || !properties.values) return undefined;
  let found: EngineeringProperties | undefined;
  const count = Math.min(properties.keys.length, properties.values.length, maxPropertyKeys);
  for (let position = 0; position < count; position++) {
    const key: unknown = properties.keys[position];
    if (typeof key !== 'string' || key.length > 16) continue;
    const field = fields[key.toLowerCase() as keyof typeof fields];
    if (field === undefined) continue;
    found ??= {};
    const property = properties.values[position];
    if (field === 'unit') found.unit = propertyText(property);
    else found[field] = propertyNumber(property);
  }
  return found;
}

function propertyText(property: SparkplugPropertyValue | null | undefined): string | undefined {
  if (!property || property.isNull === true || !hasField(property, 'stringValue')) return undefined;
  return typeof property.stringValue === 'string' ? property.stringValue : undefined;
}

/** A numeric property's value, read by its declared type (as metric values are); undefined for any other type. */
function propertyNumber(property: SparkplugPropertyValue | null | undefined): number | undefined {
  if (!property || property.isNull === true) return undefined;
  const integer = hasField(property, 'intValue') ? (property.intValue ?? 0) : undefined;
  switch (property.type) {
    case SparkplugDataType.Int8:
    case SparkplugDataType.Int16:
    case SparkplugDataType.Int32:
      return integer === undefined ? undefined : integer | 0;
    case SparkplugDataType.UInt8:
    case SparkplugDataType.UInt16:
    case SparkplugDataType.UInt32:
      // UInt32 may arrive in either field: Tahu writes it as a long, other encoders as an int.
      if (hasField(property, 'longValue')) return approximateNumber(property.longValue);
      return integer === undefined ? undefined : integer >>> 0;
    case SparkplugDataType.Int64:
    case SparkplugDataType.UInt64:
      return hasField(property, 'longValue') ? approximateNumber(property.longValue, property.type === SparkplugDataType.Int64) : undefined;
    case SparkplugDataType.Float:
      return hasField(property, 'floatValue') ? (property.floatValue ?? undefined) : undefined;
    case SparkplugDataType.Double:
      return hasField(property, 'doubleValue') ? (property.doubleValue ?? undefined) : undefined;
    default:
      return undefined;
  }
}
