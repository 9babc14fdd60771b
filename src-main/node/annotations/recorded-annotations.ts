import type { DatabaseSync } from 'node:sqlite';
import { annotationSchema, maxAnnotationsPerRead, maxAnnotationTextLength, type Annotation } from '../../common/annotations/annotation.ts';

/** The statement that writes one annotation row of a recording (format 4). */
export const insertAnnotationSql = 'INSERT OR IGNORE INTO annotations (id, time, machine, author, text, created_at) VALUES (?, ?, ?, ?, ?, ?)';

/** Writes annotations into an open recording database (inside the caller's transaction). */
export function writeAnnotations(database: DatabaseSync, annotations: readonly Annotation[]): void {
  if (annotations.length === 0) return;
  const insert = database.prepare(insertAnnotationSql);
  for (const annotation of annotations) insert.run(annotation.id, annotation.time, annotation.machine, annotation.author, annotation.text, annotation.createdAt);
}

/**
 * A recording's annotations from `from` to `to` inclusive, in time order, at most `maxAnnotationsPerRead`.
 * Every row is checked (types, lengths, a machine of the plant) before it is trusted; one that fails is
 * damage and is passed over. A file written before annotations were recorded (format 2 or 3) has none.
 */
export function readAnnotations(database: DatabaseSync, from: number, to: number, machineCount: number): Annotation[] {
  if (!(to >= from)) return [];
  const hasTable = database.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'annotations'").get() !== undefined;
  if (!hasTable) return [];
  const rows = database
    .prepare(
      // Every column is cut to its type and size in SQL: a forged row's megabytes never reach JavaScript.
      `SELECT CASE WHEN typeof(id) = 'text' AND length(id) <= 64 THEN id END AS id,
         CASE WHEN typeof(time) IN ('integer', 'real') THEN time END AS time,
         CASE WHEN typeof(machine) IN ('integer', 'real') THEN machine END AS machine,
         CASE WHEN typeof(created_at) IN ('integer', 'real') THEN created_at END AS createdAt,
         CASE WHEN typeof(author) = 'text' AND length(author) <= 256 THEN author END AS author,
         CASE WHEN typeof(text) = 'text' AND length(text) <= ${maxAnnotationTextLength} THEN text END AS text
       FROM annotations WHERE time BETWEEN ? AND ? ORDER BY time, created_at LIMIT ${maxAnnotationsPerRead}`,
    )
    .all(Math.max(0, Math.floor(from)), Math.max(0, Math.min(Math.floor(to), Number.MAX_SAFE_INTEGER))) as Array<Record<string, unknown>>;
  const annotations: Annotation[] = [];
  for (const row of rows) {
    const parsed = annotationSchema.safeParse({ id: row.id, time: row.time, machine: row.machine, author: row.author, text: row.text, createdAt: row.createdAt });
    if (!parsed.success) continue;
    if (parsed.data.machine !== null && parsed.data.machine >= machineCount) continue;
    annotations.push(parsed.data);
  }
  return annotations;
}
