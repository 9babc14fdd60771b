import type { DatabaseSync } from 'node:sqlite';

/** `PRAGMA application_id` of a Twinline recording: "TWLN". */
export const recordingApplicationId = 0x54574c4e;
/** Version of the layout below, written into every new file. */
export const recordingFormatVersion = 4;
/** Versions a reader opens: format 3 is format 4 without annotations, format 2 format 3 without the alarm table (written before alarms were recorded). */
export const readableFormatVersions: readonly number[] = [2, 3, 4];
/** What format 3 added to format 2; a format 2 file must not have them. */
export const alarmSchemaEntries: readonly string[] = ['alarm_events', 'alarm_events_by_time'];
/** What format 4 added to format 3; a format 2 or 3 file must not have them. */
export const annotationSchemaEntries: readonly string[] = ['annotations', 'annotations_by_time'];

/**
 * A recording's first chunk start and last event time (null when it has none), by primary key and
 * index, so reading the range costs the same however long the recording is. A chunk starts where a
 * keyframe or an event block says one does (events whose keyframe row was lost still count).
 * Parameters: the end of recorded time and the chunk length. A row outside them (a time no recording
 * holds, a block that ends beyond its chunk) is damage and is passed over. (The unary + keeps SQLite
 * reading the last block by id, not every block through the chunk index.)
 */
export const recordedRangeQuery = `SELECT min(coalesce(keyframes.start, blocks.start), coalesce(blocks.start, keyframes.start)) AS start,
  (SELECT end_time FROM chunk_parts WHERE +chunk_start BETWEEN 0 AND ?1 - 1 AND end_time BETWEEN chunk_start AND chunk_start + ?2 - 1 ORDER BY id DESC LIMIT 1) AS end
  FROM (SELECT (SELECT start_time FROM chunks WHERE start_time BETWEEN 0 AND ?1 - 1 ORDER BY start_time LIMIT 1) AS start) AS keyframes,
  (SELECT (SELECT chunk_start FROM chunk_parts WHERE chunk_start BETWEEN 0 AND ?1 - 1 ORDER BY chunk_start LIMIT 1) AS start) AS blocks`;

/** Chart resolutions in milliseconds: 10 s and 1 min come from the minute rows, 1 h from the hour rows. */
export const rollupResolutions = [10_000, 60_000, 3_600_000] as const;

/**
 * The recording layout (documented in the README):
 * - meta: plant text, signal keys, broker ids, time range, how far rollups are written;
 * - models: the plant's model files, so a recording opens with nothing else;
 * - chunks: one row per chunk start with the keyframe; chunk_parts: its compressed event blocks,
 *   one per committed batch, so a crash loses at most the batch in flight. A rowid table, because
 *   SQLite keeps up to ~4 KB of a row in its page there, against ~1 KB in a WITHOUT ROWID table,
 *   whose overflow pages would waste most of their space on one-second blocks;
 * - rollups_minute: per signal and minute, its six 10 s slots packed in one small blob, clustered
 *   by signal so a chart reads one signal's rows only; rollups_recent: the same rows of the hour in
 *   progress, clustered by time, where appending a minute of every signal touches few pages; they
 *   move to rollups_minute once an hour (a row per signal and minute in rollups_minute at once
 *   would dirty a page per signal every minute); rollups_hour: per signal and hour,
 *   first/last/min/max/count. Rows are written once their minute or hour is over;
 *   meta.rollupsUntil says how far, and readers take the rest from events;
 * - health_events: machine health changes, for alarm markers and the health strip;
 * - alarm_events (format 3): every alarm transition and flood change as live published it, with the
 *   alarm's whole record after it (JSON), who caused it and why; a new file starts with a `carried`
 *   row per alarm that was not normal, so that the state at any moment is read from one file;
 * - annotations (format 4): notes people pinned to a moment (and maybe a machine), with who wrote them
 *   and when; each is in the file that was being written when it was added.
 */
export function createRecordingSchema(database: DatabaseSync): void {
  database.exec(`
    PRAGMA application_id = ${recordingApplicationId};
    PRAGMA user_version = ${recordingFormatVersion};
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS models (file TEXT PRIMARY KEY, bytes BLOB NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS chunks (start_time INTEGER PRIMARY KEY, keyframe BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS chunk_parts (
      id INTEGER PRIMARY KEY,
      chunk_start INTEGER NOT NULL,
      end_time INTEGER NOT NULL,
      event_count INTEGER NOT NULL,
      events BLOB NOT NULL
    );
    CREATE INDEX IF NOT EXISTS chunk_parts_by_chunk ON chunk_parts (chunk_start);
    CREATE TABLE IF NOT EXISTS rollups_minute (
      signal INTEGER NOT NULL,
      minute INTEGER NOT NULL,
      buckets BLOB NOT NULL,
      PRIMARY KEY (signal, minute)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS rollups_recent (
      minute INTEGER NOT NULL,
      signal INTEGER NOT NULL,
      buckets BLOB NOT NULL,
      PRIMARY KEY (minute, signal)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS rollups_hour (
      signal INTEGER NOT NULL,
      hour INTEGER NOT NULL,
      first REAL NOT NULL, last REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL,
      PRIMARY KEY (signal, hour)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS health_events (time INTEGER NOT NULL, machine INTEGER NOT NULL, health INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS health_events_by_time ON health_events (time);
    CREATE TABLE IF NOT EXISTS alarm_events (time INTEGER NOT NULL, alarm INTEGER NOT NULL, event TEXT NOT NULL, operator TEXT, reason TEXT, record TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS alarm_events_by_time ON alarm_events (time);
    CREATE TABLE IF NOT EXISTS annotations (id TEXT PRIMARY KEY, time INTEGER NOT NULL, machine INTEGER, author TEXT NOT NULL, text TEXT NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS annotations_by_time ON annotations (time);
  `);
}
