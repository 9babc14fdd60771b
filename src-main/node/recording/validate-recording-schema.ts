import { DatabaseSync } from 'node:sqlite';
import { messageOf, RecordingError } from './recording-error.ts';
import { alarmSchemaEntries, annotationSchemaEntries, createRecordingSchema } from './recording-schema.ts';

/** One entry of `sqlite_schema`: a table or index, with the statement that made it (null for SQLite's own indexes). */
interface SchemaEntry {
  type: string;
  name: string;
  table: string;
  sql: string | null;
}

// More entries than the layout has mean a forged file; reading stops there, so the check costs the same whatever the file holds.
const maxEntries = 64;
// Longer than any statement the layout uses.
const maxStatementCharacters = 4096;

let expected: Map<string, SchemaEntry> | undefined;

/** The schema `createRecordingSchema` makes, by name: what every recording must have, no more and no less. */
function expectedSchema(): Map<string, SchemaEntry> {
  if (expected) return expected;
  const database = new DatabaseSync(':memory:');
  try {
    createRecordingSchema(database);
    expected = new Map(readSchema(database).map((entry) => [entry.name, entry]));
  } finally {
    database.close();
  }
  return expected;
}

function readSchema(database: DatabaseSync): SchemaEntry[] {
  const rows = database
    .prepare('SELECT type, name, tbl_name AS "table", octet_length(sql) AS length, substr(sql, 1, ?) AS sql FROM sqlite_schema LIMIT ?')
    .all(maxStatementCharacters, maxEntries + 1) as Array<{ type: unknown; name: unknown; table: unknown; length: unknown; sql: unknown }>;
  return rows.map((row) => ({
    type: String(row.type),
    name: String(row.name),
    table: String(row.table),
    sql: typeof row.sql === 'string' && typeof row.length === 'number' && row.length <= maxStatementCharacters ? normalize(row.sql) : row.sql === null ? null : '(too long)',
  }));
}

/** A statement with its spacing made canonical, so that re-indenting the layout's source never refuses files written before. */
function normalize(sql: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .replace(/ ?([(),]) ?/g, '$1')
    .trim();
}

/**
 * Refuses a recording whose schema is not exactly the layout's tables and indexes: a view or a trigger
 * would run the file's own SQL inside every query a reader makes (a view over a recursive query hangs
 * the reader), and a changed table could hand it values of any type. Names, kinds and the statements
 * that made them are compared; nothing of the file's is queried before this passes.
 */
export function validateRecordingSchema(database: DatabaseSync, file: string, version: number): void {
  // Format 3 is the same layout without annotations, which came with format 4; format 2 also lacks the alarm table of format 3.
  const absent = version === 2 ? [...alarmSchemaEntries, ...annotationSchemaEntries] : version === 3 ? annotationSchemaEntries : [];
  const wanted = new Map([...expectedSchema()].filter(([name]) => !absent.includes(name)));
  let found: SchemaEntry[];
  try {
    found = readSchema(database);
  } catch (error) {
    throw new RecordingError(file, `its schema cannot be read (${messageOf(error)})`);
  }
  if (found.length > maxEntries) throw new RecordingError(file, `its schema has more than ${maxEntries} entries; a Twinline recording has ${wanted.size}`);
  const seen = new Set<string>();
  for (const entry of found) {
    const model = wanted.get(entry.name);
    if (entry.type !== 'table' && entry.type !== 'index') throw new RecordingError(file, `its schema holds a ${entry.type} "${entry.name}"; a Twinline recording has only tables and indexes`);
    if (!model) throw new RecordingError(file, `its schema holds an unexpected ${entry.type} "${entry.name}"`);
    if (model.type !== entry.type || model.table !== entry.table || model.sql !== entry.sql) {
      throw new RecordingError(file, `its ${entry.type} "${entry.name}" is not the one a Twinline recording has`);
    }
    seen.add(entry.name);
  }
  const missing = [...wanted.keys()].filter((name) => !seen.has(name));
  if (missing.length > 0) throw new RecordingError(file, `it lacks ${missing.map((name) => `"${name}"`).join(', ')}`);
}
