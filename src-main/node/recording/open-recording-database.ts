import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { messageOf, RecordingError } from './recording-error.ts';
import { readableFormatVersions, recordingApplicationId, recordingFormatVersion } from './recording-schema.ts';
import { validateRecordingSchema } from './validate-recording-schema.ts';

const sqliteMagic = 'SQLite format 3\u0000';

/**
 * Opens a recording read-only, as untrusted input: the header is checked before SQLite sees the file,
 * the file's schema may run none of its own SQL (`trusted_schema` off, then exactly the layout's
 * tables and indexes), and `verify` adds SQLite's quick_check over every page — right for a file from
 * elsewhere, but it takes seconds on gigabytes, so the host skips it for the file it is writing.
 * Throws a RecordingError naming the file and the problem.
 */
export function openRecordingDatabase(file: string, { verify }: { verify: boolean }): DatabaseSync {
  checkHeader(file);
  let database: DatabaseSync;
  try {
    database = new DatabaseSync(file, { readOnly: true });
  } catch (error) {
    throw new RecordingError(file, messageOf(error));
  }
  try {
    // Before anything reads the schema: functions with side effects may not run from it, and damaged
    // b-tree cells are caught as they are read rather than followed.
    database.exec('PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON;');
    const applicationId = pragma(database, 'application_id');
    if (applicationId !== recordingApplicationId) throw new RecordingError(file, 'it is an SQLite database, but not a Twinline recording');
    const version = pragma(database, 'user_version');
    if (!readableFormatVersions.includes(version)) throw new RecordingError(file, `it was written in format ${version}; this Twinline reads formats ${readableFormatVersions.join(' and ')} (it writes ${recordingFormatVersion})`);
    validateRecordingSchema(database, file, version);
    if (verify) {
      // At most three problems are listed, so a thoroughly damaged file costs no more to refuse.
      const check = database.prepare('PRAGMA quick_check(3)').all().map((row) => String(Object.values(row)[0]));
      if (check.join() !== 'ok') throw new RecordingError(file, `the file is damaged (${check.join('; ')})`);
    }
    return database;
  } catch (error) {
    database.close();
    if (error instanceof RecordingError) throw error;
    throw new RecordingError(file, messageOf(error));
  }
}

function pragma(database: DatabaseSync, name: string): number {
  const row = database.prepare(`PRAGMA ${name}`).get() as Record<string, unknown> | undefined;
  return Number(Object.values(row ?? {})[0]);
}

/** Refuses missing, empty and non-SQLite files before SQLite sees them, with a message a person understands. */
function checkHeader(file: string): void {
  if (!existsSync(file)) throw new RecordingError(file, 'the file does not exist');
  const header = Buffer.alloc(16);
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, 'r');
    const read = readSync(descriptor, header, 0, 16, 0);
    if (read === 0) throw new RecordingError(file, 'the file is empty');
    if (read < 16 || header.toString('latin1') !== sqliteMagic) throw new RecordingError(file, 'it is not a Twinline recording (not an SQLite file)');
  } catch (error) {
    if (error instanceof RecordingError) throw error;
    throw new RecordingError(file, `it cannot be read (${(error as NodeJS.ErrnoException).code ?? messageOf(error)})`);
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}
