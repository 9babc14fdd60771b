import { DatabaseSync } from 'node:sqlite';

/** Where tests look for secrets a host must never write: in bytes of any file, and in the plant text a recording keeps. */

/** The `secrets` found in `bytes`, searched as UTF-8 and as UTF-16 (SQLite may store text either way). */
export function secretsIn(bytes: Buffer, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => bytes.includes(Buffer.from(secret, 'utf8')) || bytes.includes(Buffer.from(secret, 'utf16le')));
}

/** The plant file's text as recording `file` keeps it (its `meta` table), read without changing the file. */
export function recordedPlantText(file: string): string {
  const database = new DatabaseSync(file, { readOnly: true });
  try {
    return String(database.prepare("SELECT value FROM meta WHERE key = 'plantText'").get()?.value);
  } finally {
    database.close();
  }
}
