import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { seededRandom } from '../../common/seeded-random.ts';
import { decodeEvents, encodeEvents, eventObjects, type RecordedEvent } from './chunk-codec.ts';
import { EventBuffer } from './event-buffer.ts';
import { AlarmEngine } from '../../common/alarms/alarm-engine.ts';
import { Health } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { alarmRows, type AlarmRow } from './recorded-alarms.ts';

/** A recording made wrong on purpose: its file name, what was done to it, and its bytes. */
export interface MutatedRecording {
  name: string;
  description: string;
  bytes: Uint8Array;
}

type Random = () => number;

/** One way of damaging or forging a recording; SQL mutations work on a scratch copy opened for writing. */
interface Mutation {
  kind: string;
  mutate(base: Uint8Array, random: Random, scratch: () => DatabaseSync): string;
}

/** Blob columns and the key that picks a row. */
const blobColumns = [
  { table: 'chunks', column: 'keyframe', key: 'start_time' },
  { table: 'chunk_parts', column: 'events', key: 'id' },
  { table: 'rollups_minute', column: 'buckets', key: 'signal, minute' },
  { table: 'rollups_recent', column: 'buckets', key: 'minute, signal' },
  { table: 'models', column: 'bytes', key: 'file' },
] as const;

const tables = ['meta', 'models', 'chunks', 'chunk_parts', 'rollups_minute', 'rollups_recent', 'rollups_hour', 'health_events'] as const;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const integer = (random: Random, below: number): number => Math.floor(random() * below);

/**
 * A zstd frame of `bytes` bytes that inflates 32,768-fold: run-length blocks, each four bytes saying
 * "131,072 zeros". 64 KiB of it is 2 GiB — what a reader that trusts a block's own size would allocate.
 */
export function zstdBomb(bytes: number): Uint8Array {
  const blocks = Math.max(1, Math.floor((bytes - 6) / 4));
  const frame = Buffer.alloc(6 + blocks * 4);
  frame.writeUInt32LE(0xfd2fb528, 0);
  // No content size in the header, a 128 KiB window.
  frame[4] = 0x00;
  frame[5] = 0x38;
  for (let block = 0; block < blocks; block++) {
    const header = (131_072 << 3) | (1 << 1) | (block === blocks - 1 ? 1 : 0);
    frame.writeUIntLE(header, 6 + block * 4, 3);
  }
  return frame;
}

/** A random row's key values and blob from a blob column, or undefined when the table is empty. */
function randomBlobRow(database: DatabaseSync, random: Random, table: string, column: string, key: string): { where: string; keys: unknown[]; blob: Uint8Array } | undefined {
  const count = Number((database.prepare(`SELECT count(*) AS count FROM ${table}`).get() as { count: number }).count);
  if (count === 0) return undefined;
  const row = database.prepare(`SELECT ${key}, ${column} AS blob FROM ${table} ORDER BY ${key} LIMIT 1 OFFSET ?`).get(integer(random, count)) as Record<string, unknown>;
  const keyColumns = key.split(', ');
  return { where: keyColumns.map((name) => `${name} = ?`).join(' AND '), keys: keyColumns.map((name) => row[name]), blob: row.blob as Uint8Array };
}

/** The rowid of a random row of `table` (chosen by the seeded generator, not SQLite's), or undefined when it is empty. */
function randomRowid(database: DatabaseSync, random: Random, table: string): number | undefined {
  const count = Number((database.prepare(`SELECT count(*) AS count FROM ${table}`).get() as { count: number }).count);
  if (count === 0) return undefined;
  // Named, as SQLite would name the column after the table's own alias of the rowid.
  return (database.prepare(`SELECT rowid AS row FROM ${table} ORDER BY rowid LIMIT 1 OFFSET ?`).get(integer(random, count)) as { row: number }).row;
}

function flipBits(bytes: Uint8Array, random: Random, flips: number): { bytes: Uint8Array; at: number[] } {
  const copy = Uint8Array.from(bytes);
  const at: number[] = [];
  for (let flip = 0; flip < flips && copy.length > 0; flip++) {
    const bit = integer(random, copy.length * 8);
    copy[bit >> 3]! ^= 1 << (bit & 7);
    at.push(bit);
  }
  return { bytes: copy, at };
}

/** Replaces one blob of a random row (of `columns`) with what `change` makes of it. */
function changeBlob(database: DatabaseSync, random: Random, columns: ReadonlyArray<(typeof blobColumns)[number]>, change: (blob: Uint8Array) => { bytes: Uint8Array; what: string }): string {
  for (let attempt = 0; attempt < 8; attempt++) {
    const { table, column, key } = pick(random, columns);
    const row = randomBlobRow(database, random, table, column, key);
    if (!row) continue;
    const { bytes, what } = change(row.blob);
    database.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${row.where}`).run(bytes, ...(row.keys as Array<string | number>));
    return `${what} in ${table}.${column} at ${row.keys.join('/')}`;
  }
  return 'nothing (no rows)';
}

/** The first event block of a random chunk (decodable on its own), decoded. */
function firstBlockOfAChunk(database: DatabaseSync, random: Random): { id: number; chunkStart: number; events: RecordedEvent[] } | undefined {
  const rows = database.prepare('SELECT min(id) AS id, chunk_start FROM chunk_parts GROUP BY chunk_start').all() as Array<{ id: number; chunk_start: number }>;
  if (rows.length === 0) return undefined;
  const row = pick(random, rows);
  const blob = (database.prepare('SELECT events FROM chunk_parts WHERE id = ?').get(row.id) as { events: Uint8Array }).events;
  return { id: row.id, chunkStart: row.chunk_start, events: eventObjects(decodeEvents(blob, new Map())) };
}

function encode(events: readonly RecordedEvent[]): Buffer {
  const buffer = new EventBuffer();
  for (const event of events) buffer.push(event.time, event.code, event.value);
  return encodeEvents(buffer, new Map());
}

const setMeta = (database: DatabaseSync, key: string, value: unknown) => database.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value as string);

/** The first moment the file's chunks hold (or a fixed moment when it holds none). */
function firstRecordedTime(database: DatabaseSync): number {
  const row = database.prepare("SELECT min(start_time) AS time FROM chunks WHERE typeof(start_time) = 'integer'").get() as { time: number | null };
  return Number(row.time ?? 1_700_000_000_000);
}

/** The rows the alarm engine writes for the plant's first signal going far over its limits at `time` and acknowledged a second later; none when it has no limits. */
function genuineAlarmRows(database: DatabaseSync, time: number): AlarmRow[] {
  const text = (database.prepare("SELECT value FROM meta WHERE key = 'plantText'").get() as { value: string } | undefined)?.value;
  if (typeof text !== 'string') return [];
  const plant = parsePlantOrThrow(text);
  const engine = new AlarmEngine(plant);
  engine.evaluate(0, Health.alarm, 1e9, time);
  const raised = engine.takeTransitions();
  const alarms = raised.alarms.map((transition) => transition.record.alarm);
  engine.acknowledge(alarms, 'Ana', time + 1000);
  const acknowledged = engine.takeTransitions();
  return [...alarmRows(raised.alarms, raised.flood), ...alarmRows(acknowledged.alarms, acknowledged.flood)];
}

/** `text` with one bit flipped in one of its characters, kept within ASCII so it stays text. */
function flipText(text: string, random: Random): string {
  if (text === '') return text;
  const at = integer(random, text.length);
  const code = (text.charCodeAt(at) ^ (1 << integer(random, 7))) & 0x7f;
  return `${text.slice(0, at)}${String.fromCharCode(code)}${text.slice(at + 1)}`;
}

/** Meta values of the wrong type, size or range, by key. */
const badMeta: Array<[string, () => unknown, string]> = [
  ['signalKeys', () => '{"not":"a list"}', 'an object'],
  ['signalKeys', () => '"oven/temperature"', 'a string'],
  ['signalKeys', () => '[1, 2, 3, 4, 5]', 'numbers'],
  ['signalKeys', () => '[]', 'an empty list'],
  ['signalKeys', () => '["press/force"]', 'too few keys'],
  ['signalKeys', () => JSON.stringify(Array.from({ length: 100_000 }, (_, index) => `m/s${index}`)), '100,000 keys'],
  ['signalKeys', () => '[not json', 'broken JSON'],
  ['brokerIds', () => '5', 'a number'],
  ['brokerIds', () => '[1, 2]', 'numbers'],
  ['brokerIds', () => 'null', 'null'],
  ['brokerIds', () => JSON.stringify(Array.from({ length: 20_000 }, (_, index) => `b${index}`)), '20,000 brokers'],
  ['createdAt', () => 'yesterday', 'words'],
  ['createdAt', () => '-271821-04-20T00:00:00.000Z', 'a time before the epoch'],
  ['createdAt', () => '+275760-09-13T00:00:00.000Z', 'a time after year 10000'],
  ['continues', () => '../../etc/passwd', 'a path'],
  ['continues', () => '', 'an empty name'],
  ['endTime', () => 'NaN', 'NaN'],
  ['endTime', () => '-5', 'a negative time'],
  ['endTime', () => '1e400', 'an overflowing number'],
  ['rollupsUntil', () => '9999999999999999999', 'a time past year 10000'],
  ['rollupsUntil', () => '-60000', 'a negative time'],
  ['rollupsUntil', () => 'soon', 'words'],
  ['rollupsUntil', () => '253402300799999', 'the last moment of year 9999'],
  ['rollupsUntil', () => '0', 'zero'],
  ['chunkMs', () => '0', 'zero'],
  ['chunkMs', () => '-10000', 'a negative length'],
  ['chunkMs', () => '1e308', 'an absurd length'],
  ['plantText', () => 'name: [unclosed', 'broken YAML'],
  ['plantText', () => 'a: &a [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n', 'a YAML alias bomb'],
  ['plantText', () => 'x'.repeat(9 * 1024 * 1024), '9 MiB of text'],
  ['plantText', () => new Uint8Array([1, 2, 3]), 'a blob'],
  ['format', () => 'something-else', 'another format'],
  ['chunkMs', () => new Uint8Array(16), 'a blob'],
];

const mutations: Mutation[] = [
  {
    kind: 'flip-blob',
    mutate: (_base, random, scratch) => changeBlob(scratch(), random, blobColumns, (blob) => {
      const flipped = flipBits(blob, random, 1 + integer(random, 3));
      return { bytes: flipped.bytes, what: `bits ${flipped.at.join(', ')} flipped` };
    }),
  },
  {
    kind: 'flip-inside-compression',
    // Flips bits of what a block inflates to and compresses it again: a forged block whose frame checks out.
    mutate: (_base, random, scratch) => changeBlob(scratch(), random, blobColumns.slice(0, 2), (blob) => {
      const flipped = flipBits(zstdDecompressSync(blob), random, 1 + integer(random, 4));
      return { bytes: zstdCompressSync(flipped.bytes), what: `inflated bits ${flipped.at.join(', ')} flipped` };
    }),
  },
  {
    kind: 'zstd-bomb',
    mutate: (_base, random, scratch) => changeBlob(scratch(), random, blobColumns.slice(0, 2), () => ({ bytes: zstdBomb(64 * 1024), what: 'a 64 KiB zstd bomb (2 GiB inflated)' })),
  },
  {
    kind: 'oversized-blob',
    mutate: (_base, random, scratch) => changeBlob(scratch(), random, blobColumns, () => ({ bytes: new Uint8Array(8 * 1024 * 1024).fill(0x5a), what: '8 MiB of filler' })),
  },
  {
    kind: 'blob-swap',
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const count = Number((database.prepare('SELECT count(*) AS count FROM chunk_parts').get() as { count: number }).count);
      if (count < 2) return 'nothing (fewer than two blocks)';
      const [a, b] = [integer(random, count), integer(random, count)];
      const idAt = (offset: number) => (database.prepare('SELECT id FROM chunk_parts ORDER BY id LIMIT 1 OFFSET ?').get(offset) as { id: number }).id;
      const [first, second] = [idAt(a), idAt(b)];
      database.exec(`UPDATE chunk_parts SET events = (SELECT events FROM chunk_parts WHERE id = ${second}) WHERE id = ${first}`);
      return `chunk_parts ${first} given the events of ${second}`;
    },
  },
  {
    kind: 'truncate',
    mutate: () => 'truncated',
  },
  {
    kind: 'flip-file',
    mutate: () => 'bits flipped anywhere in the file',
  },
  {
    kind: 'view',
    mutate: (_base, random, scratch) => {
      const table = pick(random, tables);
      const database = scratch();
      const columns = (database.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as Array<{ name: string }>).map((row) => row.name).join(', ');
      database.exec(`ALTER TABLE ${table} RENAME TO ${table}_real`);
      // A query that never ends: a reader that runs it hangs.
      database.exec(`CREATE VIEW ${table} AS WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever) SELECT ${columns} FROM ${table}_real WHERE (SELECT max(n) FROM forever) > 0`);
      return `${table} replaced by a view over a recursive query that never ends`;
    },
  },
  {
    kind: 'trigger',
    mutate: (_base, random, scratch) => {
      const table = pick(random, tables);
      scratch().exec(`CREATE TRIGGER ${table}_spy AFTER INSERT ON ${table} BEGIN SELECT 1; END`);
      return `a trigger on ${table}`;
    },
  },
  {
    kind: 'extra-schema',
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const choice = integer(random, 3);
      if (choice === 0) database.exec('CREATE INDEX chunk_parts_by_size ON chunk_parts (length(events))');
      else if (choice === 1) database.exec('CREATE TABLE extra (x)');
      else database.exec('DROP INDEX health_events_by_time');
      return ['an expression index', 'an extra table', 'an index dropped'][choice]!;
    },
  },
  {
    kind: 'schema-text',
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const table = pick(random, ['meta', 'chunks', 'chunk_parts'] as const);
      const sql = (database.prepare("SELECT sql FROM sqlite_schema WHERE name = ?").get(table) as { sql: string }).sql;
      database.exec('PRAGMA writable_schema = ON');
      database.prepare('UPDATE sqlite_schema SET sql = ? WHERE name = ?').run(sql.replace('NOT NULL', ''), table);
      database.exec('PRAGMA writable_schema = OFF');
      return `the statement of ${table} edited in sqlite_schema`;
    },
  },
  {
    kind: 'meta',
    mutate: (_base, random, scratch) => {
      const [key, value, what] = pick(random, badMeta);
      setMeta(scratch(), key, value());
      return `meta ${key} set to ${what}`;
    },
  },
  {
    kind: 'meta-missing',
    mutate: (_base, random, scratch) => {
      const key = pick(random, ['plantText', 'signalKeys', 'brokerIds', 'chunkMs', 'createdAt', 'rollupsUntil', 'continues', 'endTime'] as const);
      scratch().prepare('DELETE FROM meta WHERE key = ?').run(key);
      return `meta ${key} deleted`;
    },
  },
  {
    kind: 'meta-junk',
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const insert = database.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      database.exec('BEGIN');
      for (let index = 0; index < 5000; index++) insert.run(`junk-${index}-${integer(random, 1e9)}`, 'x'.repeat(integer(random, 200)));
      database.exec('COMMIT');
      return '5,000 unknown meta rows';
    },
  },
  {
    kind: 'recent-minute-zero',
    // The known attack: a chart used to walk minute by minute from 0 to rollupsUntil.
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const row = database.prepare('SELECT signal, buckets FROM rollups_minute UNION ALL SELECT signal, buckets FROM rollups_recent LIMIT 1').get() as { signal: number; buckets: Uint8Array } | undefined;
      database.prepare('INSERT OR REPLACE INTO rollups_recent (minute, signal, buckets) VALUES (0, ?, ?)').run(row?.signal ?? 0, row?.buckets ?? new Uint8Array([1, 0, 1, 0, 0, 0, 0]));
      const until = pick(random, ['253402300799999', '200000000000000', String(Date.UTC(9999, 0))]);
      setMeta(database, 'rollupsUntil', until);
      return `a rollups_recent row at minute 0 and rollupsUntil ${until}`;
    },
  },
  {
    kind: 'absurd-rows',
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const value = pick(random, [-5, -1e15, 1e15, 2 ** 62, 253_402_300_800_000, 'soon', 1.5]);
      const target = pick(random, [
        'chunks.start_time',
        'chunk_parts.end_time',
        'chunk_parts.chunk_start',
        'chunk_parts.event_count',
        'health_events.time',
        'health_events.machine',
        'health_events.health',
      ] as const);
      const [table, column] = target.split('.') as [string, string];
      const count = Number((database.prepare(`SELECT count(*) AS count FROM ${table}`).get() as { count: number }).count);
      if (count === 0) return `nothing (${table} is empty)`;
      const offset = integer(random, count);
      // start_time is the rowid: only integers fit, so text and fractions go elsewhere.
      const stored = table !== 'chunks' ? value : typeof value === 'number' ? Math.trunc(value) : -7;
      database.prepare(`UPDATE OR IGNORE ${table} SET ${column} = ? WHERE rowid = (SELECT rowid FROM ${table} ORDER BY rowid LIMIT 1 OFFSET ?)`).run(stored as number, offset);
      return `${target} of row ${offset} set to ${String(stored)}`;
    },
  },
  {
    kind: 'absurd-rollup-rows',
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const [table, column, key] = pick(random, [
        ['rollups_minute', 'minute', 'signal, minute'],
        ['rollups_recent', 'minute', 'minute, signal'],
        ['rollups_hour', 'hour', 'signal, hour'],
        ['rollups_hour', 'count', 'signal, hour'],
        ['rollups_hour', 'min', 'signal, hour'],
        ['rollups_hour', 'first', 'signal, hour'],
      ] as const);
      const value = pick(random, [-5, 1e12, 2 ** 62, 'soon', new Uint8Array([1, 2, 3])]);
      const count = Number((database.prepare(`SELECT count(*) AS count FROM ${table}`).get() as { count: number }).count);
      if (count === 0) return `nothing (${table} is empty)`;
      const keys = key.split(', ');
      const row = database.prepare(`SELECT ${key} FROM ${table} ORDER BY ${key} LIMIT 1 OFFSET ?`).get(integer(random, count)) as Record<string, number>;
      database.prepare(`UPDATE OR IGNORE ${table} SET ${column} = ? WHERE ${keys.map((name) => `${name} = ?`).join(' AND ')}`).run(value as number, ...keys.map((name) => row[name]!));
      return `${table}.${column} of ${keys.map((name) => row[name]).join('/')} set to ${String(value)}`;
    },
  },
  {
    kind: 'health-rows',
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const insert = database.prepare('INSERT INTO health_events (time, machine, health) VALUES (?, ?, ?)');
      const time = Number((database.prepare('SELECT min(time) AS time FROM health_events').get() as { time: number | null }).time ?? 1_700_000_000_000);
      const rows: Array<[unknown, unknown, unknown]> = [
        [time, 1_000_000_000, 3],
        [time, 0, 99],
        [time, -1, 3],
        [time, 'oven', 3],
        [time, 0, 'alarm'],
        [time, 1.5, 3],
      ];
      const row = pick(random, rows);
      insert.run(...(row as [number, number, number]));
      return `a health event (${row.map(String).join(', ')})`;
    },
  },
  {
    kind: 'event-codes',
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const block = firstBlockOfAChunk(database, random);
      if (!block || block.events.length === 0) return 'nothing (no events)';
      const event = pick(random, block.events);
      event.code = pick(random, [5, 1_000, 2 ** 30, -3, -1_000_000]);
      database.prepare('UPDATE chunk_parts SET events = ? WHERE id = ?').run(encode(block.events), block.id);
      return `an event of block ${block.id} given code ${event.code}`;
    },
  },
  {
    kind: 'event-times',
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const block = firstBlockOfAChunk(database, random);
      if (!block || block.events.length === 0) return 'nothing (no events)';
      const time = pick(random, [-1e12, 0, 1e16, Number.NaN, 2 ** 53]);
      block.events[0]!.time = time;
      const alsoRow = random() < 0.5;
      database.prepare('UPDATE chunk_parts SET events = ? WHERE id = ?').run(encode(block.events), block.id);
      if (alsoRow) database.prepare('UPDATE chunk_parts SET end_time = ? WHERE id = ?').run(Number.isFinite(time) ? time : 0, block.id);
      return `the first event of block ${block.id} moved to ${time}${alsoRow ? ', and the row agrees' : ''}`;
    },
  },
  {
    kind: 'event-count',
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const count = pick(random, [0, 1, 2 ** 31, 1e9, -1]);
      database.prepare('UPDATE chunk_parts SET event_count = ? WHERE id = ?').run(count, randomRowid(database, random, 'chunk_parts') ?? -1);
      return `an event block's row claims ${count} events`;
    },
  },
  {
    kind: 'keyframe-shape',
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const start = randomRowid(database, random, 'chunks');
      if (start === undefined) return 'nothing (no chunks)';
      // A keyframe for 2 signals and 40 brokers, from a recording of another plant.
      const bytes = zstdCompressSync(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 2, 40, 0, 0, ...new Array(40).fill(1)]));
      database.prepare('UPDATE chunks SET keyframe = ? WHERE start_time = ?').run(bytes, start);
      return `the keyframe at ${start} describes another plant`;
    },
  },
  {
    kind: 'alarm-rows',
    // The alarm table (format 3): genuine rows of the plant's first alarms, then one forged.
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const time = firstRecordedTime(database);
      const rows = genuineAlarmRows(database, time);
      const insert = database.prepare('INSERT INTO alarm_events (time, alarm, event, operator, reason, record) VALUES (?, ?, ?, ?, ?, ?)');
      for (const row of rows) insert.run(row.time, row.alarm, row.event, row.operator, row.reason, row.record);
      const genuine = rows[0] ?? { time, alarm: 3, event: 'raise', operator: null, reason: null, record: '{"alarm":3}' };
      const huge = 'x'.repeat(1024 * 1024);
      const forged: Array<[string, unknown[]]> = [
        ['its record with bits flipped', [genuine.time, genuine.alarm, genuine.event, null, null, flipText(genuine.record, random)]],
        ['a 1 MiB operator and reason', [genuine.time, genuine.alarm, 'acknowledge', `=${huge}`, huge, genuine.record]],
        ['a 1 MiB record', [genuine.time, genuine.alarm, genuine.event, null, null, `{"alarm":${genuine.alarm},"message":"${huge}"}`]],
        ['an alarm given as text', [genuine.time, 'oven', genuine.event, null, null, genuine.record]],
        ['a time given as text', ['soon', genuine.alarm, genuine.event, null, null, genuine.record]],
        ['a record given as a blob', [genuine.time, genuine.alarm, genuine.event, null, null, new Uint8Array(64)]],
        ['an operator given as a blob', [genuine.time, genuine.alarm, 'acknowledge', new Uint8Array(1024 * 1024), 7, genuine.record]],
        ['a time before the epoch', [-5, genuine.alarm, genuine.event, null, null, genuine.record]],
        ['a time past year 10000', [2 ** 62, genuine.alarm, genuine.event, null, null, genuine.record]],
        ['an alarm the plant lacks', [genuine.time, 1_000_000, genuine.event, null, null, genuine.record.replace(/"alarm":\d+/, '"alarm":1000000')]],
        ['a record naming another machine', [genuine.time, genuine.alarm, genuine.event, null, null, genuine.record.replace(/"machine":\d+/, '"machine":999')]],
        ['a flood indicator of junk', [genuine.time, -1, 'flood', null, null, '{"active":"yes","since":-1e400}']],
      ];
      const [what, values] = pick(random, forged);
      insert.run(...(values as [number, number, string, string, string, string]));
      if (random() < 0.25) {
        // And a flood of rows: every read is bounded by rows, whatever their times.
        database.exec('BEGIN');
        for (let row = 0; row < 20_000; row++) insert.run(genuine.time + row, genuine.alarm, 'acknowledge', 'x', 'y', genuine.record);
        database.exec('COMMIT');
        return `${rows.length} genuine alarm rows, one with ${what}, and 20,000 more`;
      }
      return `${rows.length} genuine alarm rows and one with ${what}`;
    },
  },
  {
    kind: 'annotation-rows',
    // The annotations table (format 4): a genuine note, then one forged.
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const time = firstRecordedTime(database);
      const insert = database.prepare('INSERT OR REPLACE INTO annotations (id, time, machine, author, text, created_at) VALUES (?, ?, ?, ?, ?, ?)');
      insert.run('0123abcd-0000-4000-8000-000000000001', time + 10, 0, 'Ana', 'Door opened', time + 20);
      const huge = 'x'.repeat(1024 * 1024);
      const forged: Array<[string, unknown[]]> = [
        ['1 MiB of text', ['0123abcd-0000-4000-8000-000000000002', time, 0, 'Ana', `=${huge}`, time]],
        ['a 1 MiB author', ['0123abcd-0000-4000-8000-000000000003', time, null, huge, 'note', time]],
        ['a 1 MiB id', [`${huge}`, time, 0, 'Ana', 'note', time]],
        ['a machine the plant lacks', ['0123abcd-0000-4000-8000-000000000004', time, 999_999, 'Ana', 'note', time]],
        ['a machine given as a 1 MiB blob', ['0123abcd-0000-4000-8000-000000000005', time, new Uint8Array(1024 * 1024), 'Ana', 'note', time]],
        ['a negative machine', ['0123abcd-0000-4000-8000-000000000006', time, -1, 'Ana', 'note', time]],
        ['a time past year 10000', ['0123abcd-0000-4000-8000-000000000007', 2 ** 62, 0, 'Ana', 'note', time]],
        ['a creation time given as text', ['0123abcd-0000-4000-8000-000000000008', time, 0, 'Ana', 'note', 'yesterday']],
        ['control characters in its text', ['0123abcd-0000-4000-8000-000000000009', time, 0, 'Ana', 'a\u0000b\u001b[2J', time]],
        ['text given as a blob', ['0123abcd-0000-4000-8000-00000000000a', time, 0, 'Ana', new Uint8Array(16), time]],
      ];
      const [what, values] = pick(random, forged);
      insert.run(...(values as [string, number, number, string, string, number]));
      if (random() < 0.25) {
        database.exec('BEGIN');
        for (let row = 0; row < 20_000; row++) insert.run(`0123abcd-1111-4000-8000-${String(row).padStart(12, '0')}`, time, 0, 'Ana', 'note', time);
        database.exec('COMMIT');
        return `a note, one with ${what}, and 20,000 more at one moment`;
      }
      return `a note and one with ${what}`;
    },
  },
  {
    kind: 'package-meta',
    // An incident package's own meta: a range, then a title, summary, tours or range forged.
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const time = firstRecordedTime(database);
      setMeta(database, 'packageRange', JSON.stringify({ from: time, to: time + 60_000, source: 'twinline-20261125-105530Z.twinline' }));
      setMeta(database, 'packageTitle', 'Oven trip');
      const huge = 'x'.repeat(1024 * 1024);
      const forged: Array<[string, string, unknown]> = [
        ['packageTitle', 'a 1 MiB title', huge],
        ['packageTitle', 'a title with control characters', 'trip\u001b[2J\u0007'],
        ['packageTitle', 'a title given as a blob', new Uint8Array(32)],
        ['packageSummary', 'a 1 MiB summary', huge],
        ['packageTours', 'tours of broken YAML', 'tours: [unclosed'],
        ['packageTours', 'a YAML alias bomb as tours', 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n'],
        ['packageTours', '1 MiB of tours', `# ${huge}`],
        ['packageRange', 'a range that is not JSON', '{from'],
        ['packageRange', 'a range running backwards', JSON.stringify({ from: time + 1, to: time, source: 'x' })],
        ['packageRange', 'a range past any time', '{"from":-1e400,"to":1e400,"source":"x"}'],
        ['packageRange', 'a range whose source is 1 MiB', JSON.stringify({ from: time, to: time, source: huge })],
      ];
      const [key, what, value] = pick(random, forged);
      setMeta(database, key, value);
      return `package meta with ${what}`;
    },
  },
  {
    kind: 'rows-deleted',
    mutate: (_base, random, scratch) => {
      const database = scratch();
      const table = pick(random, ['chunks', 'chunk_parts', 'health_events', 'models'] as const);
      const deleted: number[] = [];
      for (let row = 0; row < 3; row++) {
        const rowid = table === 'models' ? undefined : randomRowid(database, random, table);
        if (rowid !== undefined) deleted.push(rowid);
        if (rowid !== undefined) database.prepare(`DELETE FROM ${table} WHERE rowid = ?`).run(rowid);
      }
      if (table === 'models') database.exec('DELETE FROM models');
      return table === 'models' ? 'every model deleted' : `rows ${deleted.join(', ')} of ${table} deleted`;
    },
  },
];

/**
 * `count` recordings mutated from `base` (the bytes of a real, closed or checkpointed recording), the
 * same ones for the same seed: bit flips inside blobs (keyframes, events, rollups, models) and inside
 * what they inflate to, truncation at random offsets, bit flips anywhere, zstd bombs, oversized blobs,
 * tables replaced by views over endless queries, triggers, changed schema statements, meta values of
 * the wrong type or range, absurd times and codes in rows and in event blocks, rows deleted, forged
 * alarm rows and notes (flipped record JSON, megabytes of text, wrong types, absurd times, alarms and
 * machines the plant lacks, floods of rows) and forged package meta (title, summary, tours, range). Every
 * kind comes round in turn; the details are random. SQL mutations work on scratch copies in a
 * private temporary folder, removed when the generator finishes.
 */
export function* mutatedRecordings(base: Uint8Array, count: number, seed: number): Generator<MutatedRecording> {
  const random = seededRandom(seed);
  const folder = mkdtempSync(join(tmpdir(), 'twinline-mutants-'));
  try {
    for (let index = 0; index < count; index++) {
      const mutation = mutations[index % mutations.length]!;
      const name = `mutant-${String(index).padStart(4, '0')}-${mutation.kind}.twinline`;
      if (mutation.kind === 'truncate') {
        const at = integer(random, base.length);
        yield { name, description: `truncated to ${at} of ${base.length} bytes`, bytes: base.subarray(0, at) };
        continue;
      }
      if (mutation.kind === 'flip-file') {
        const flipped = flipBits(base, random, 1 + integer(random, 16));
        yield { name, description: `bits ${flipped.at.join(', ')} of the file flipped`, bytes: flipped.bytes };
        continue;
      }
      const file = join(folder, name);
      writeFileSync(file, base);
      let database: DatabaseSync | undefined;
      const scratch = () => (database ??= new DatabaseSync(file));
      let description: string;
      try {
        description = mutation.mutate(base, random, scratch);
      } finally {
        database?.close();
      }
      const bytes = readFileSync(file);
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      yield { name, description, bytes };
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
