import type { DatabaseSync } from 'node:sqlite';
import type { SignalMetadata } from '../../common/contract.ts';
import { parseSignalMetadataList } from '../../common/signal-metadata.ts';

/**
 * Bytes one signal's entry may take in the `signalMetadata` meta row: `{"signal":…,"unit":…,"low":…,"high":…}`
 * with a 32-character unit of 4-byte characters and two 24-character numbers is under 250.
 */
const maxBytesPerSignal = 320;

/**
 * What the sources said about a recording's signals (units, engineering ranges), from its meta row
 * `signalMetadata`. The row is untrusted: its size is checked before it is read, and a row that is
 * missing, too large, not JSON, or not a list of the plant's signals gives an empty list. Never throws:
 * metadata is only ever shown, so a bad row costs only itself, never the opening of the file.
 */
export function readRecordedSignalMetadata(database: DatabaseSync, signalCount: number): SignalMetadata[] {
  const maxBytes = signalCount * maxBytesPerSignal + 1024;
  let text: string | undefined;
  try {
    const row = database
      .prepare("SELECT CASE WHEN typeof(value) = 'text' AND octet_length(value) <= ? THEN value END AS value FROM meta WHERE key = 'signalMetadata'")
      .get(maxBytes) as { value: unknown } | undefined;
    text = typeof row?.value === 'string' ? row.value : undefined;
  } catch {
    // A meta table that cannot be read here has already been refused by the reader's own checks, or
    // is damaged in a way the rest of the file reports: the recording simply has no metadata to show.
    return [];
  }
  if (text === undefined) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: written by something other than a recorder, so nothing in it is shown.
    return [];
  }
  return parseSignalMetadataList(value, signalCount);
}
