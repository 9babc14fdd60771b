import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordingReader } from './recording-reader.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-crash-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const recorderScript = fileURLToPath(new URL('./fixtures/record-until-killed.ts', import.meta.url));
const kills = 50;

/** Starts a recorder process, lets it commit for a random while, SIGKILLs it; returns what it had reported committed. */
async function recordAndKill(file: string, runMs: number): Promise<number> {
  const child = spawn(process.execPath, ['--no-warnings', recorderScript, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let committed = 0;
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  let buffered = '';
  const firstCommit = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) committed = Number(line.split(' ')[1]);
      if (committed > 0) resolve();
    });
    child.once('exit', (code) => reject(new Error(`recorder exited early with ${code}: ${errors}`)));
  });
  await firstCommit;
  await new Promise((resolve) => setTimeout(resolve, runMs));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  // Every line the child printed came after its commit returned, so this many are on disk at least.
  return committed;
}

describe('a recorder killed at any moment', () => {
  it(`leaves a sound file holding every committed batch (${kills} SIGKILLs)`, { timeout: 180_000 }, async () => {
    for (let attempt = 0; attempt < kills; attempt++) {
      const file = join(folder, `crash-${attempt}.twinline`);
      const committed = await recordAndKill(file, 20 + ((attempt * 37) % 230));
      const database = new DatabaseSync(file);
      const check = database.prepare('PRAGMA quick_check').get() as Record<string, string>;
      expect(Object.values(check)[0], `attempt ${attempt}`).toBe('ok');
      const stored = database.prepare('SELECT COALESCE(SUM(event_count), 0) AS total FROM chunk_parts').get() as { total: number };
      expect(stored.total, `attempt ${attempt}`).toBeGreaterThanOrEqual(committed);
      database.close();
      // And it opens as a recording.
      const reader = new RecordingReader(file);
      expect(reader.timeRange().end).toBeGreaterThan(reader.timeRange().start);
      reader.close();
    }
  });
});
