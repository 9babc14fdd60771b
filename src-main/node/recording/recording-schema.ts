import type { DatabaseSync } from 'node:sqlite';

/** `PRAGMA application_id` of a Twinline recording: "TWLN". */
export const recordingApplicationId = 0x54574c4e;
/** Version of the layout below; a reader refuses newer ones. */
export const recordingFormatVersion = 1;

/**
 * Rollup resolutions in milliseconds: 10 s, 1 min, 1 h. Not 1 s: at 2–10 Hz a 1 s row costs more
 * bytes than the samples it summarises; charts over a few minutes read the samples themselves.
 */
export const rollupResolutions = [10_000, 60_000, 3_600_000] as const;

/**
 * The recording layout (documented in the README):
 * - meta: plant text, signal keys, broker ids, time range;
 * - models: the plant's model files, so a recording opens with nothing else;
 * - chunks: one row per chunk start with the keyframe; chunk_parts: its compressed event blocks,
 *   one per committed batch, so a crash loses at most the batch in flight;
 * - rollups: first/last/min/max/count per signal and bucket at each resolution;
 * - health_events: machine health changes, for alarm markers and the health strip.
 */
export function createRecordingSchema(database: DatabaseSync): void {
  database.exec(`
    PRAGMA application_id = ${recordingApplicationId};
    PRAGMA user_version = ${recordingFormatVersion};
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS models (file TEXT PRIMARY KEY, bytes BLOB NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS chunks (start_time INTEGER PRIMARY KEY, keyframe BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS chunk_parts (
      chunk_start INTEGER NOT NULL,
      part INTEGER NOT NULL,
      end_time INTEGER NOT NULL,
      event_count INTEGER NOT NULL,
      events BLOB NOT NULL,
      PRIMARY KEY (chunk_start, part)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS rollups (
      signal INTEGER NOT NULL,
      resolution INTEGER NOT NULL,
      bucket INTEGER NOT NULL,
      first REAL NOT NULL, last REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL,
      PRIMARY KEY (signal, resolution, bucket)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS health_events (time INTEGER NOT NULL, machine INTEGER NOT NULL, health INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS health_events_by_time ON health_events (time);
  `);
}
