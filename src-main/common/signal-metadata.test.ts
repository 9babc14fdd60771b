import { describe, expect, it } from 'vitest';
import { boundSignalMetadata, parseSignalMetadataList } from './signal-metadata.ts';

describe('boundSignalMetadata', () => {
  it('keeps a unit of up to 32 characters, trimmed, and finite ends with low ≤ high', () => {
    expect(boundSignalMetadata(3, { unit: ' m³/h ', low: -1, high: 1 })).toEqual({ signal: 3, unit: 'm³/h', low: -1, high: 1 });
    expect(boundSignalMetadata(3, { unit: '°'.repeat(32) })).toEqual({ signal: 3, unit: '°'.repeat(32) });
    expect(boundSignalMetadata(3, { low: 5 })).toEqual({ signal: 3, low: 5 });
  });

  it('drops what cannot be shown, and gives nothing when nothing is left', () => {
    expect(boundSignalMetadata(3, { unit: 'x'.repeat(33), low: 16, high: 0 })).toBeUndefined();
    expect(boundSignalMetadata(3, { unit: 'bar\n<script>', low: Number.NaN, high: Number.POSITIVE_INFINITY })).toBeUndefined();
    expect(boundSignalMetadata(3, { unit: 42, low: '0', high: null })).toBeUndefined();
    expect(boundSignalMetadata(3, { unit: 'bar', low: 16, high: 0 })).toEqual({ signal: 3, unit: 'bar' });
  });
});

describe('parseSignalMetadataList', () => {
  it('reads a list of the plant signals in signal order', () => {
    expect(parseSignalMetadataList([{ signal: 1, unit: 'bar' }, { signal: 0, low: 0, high: 1 }], 2)).toEqual([{ signal: 0, low: 0, high: 1 }, { signal: 1, unit: 'bar' }]);
  });

  it('gives an empty list for more entries than signals, an entry that says nothing, or a signal past the last', () => {
    expect(parseSignalMetadataList([{ signal: 0, unit: 'a' }, { signal: 1, unit: 'b' }, { signal: 0, unit: 'c' }], 2)).toEqual([]);
    expect(parseSignalMetadataList([{ signal: 0 }], 2)).toEqual([]);
    expect(parseSignalMetadataList([{ signal: 2, unit: 'bar' }], 2)).toEqual([]);
  });
});
