import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from './embedded-broker.ts';
import { listRecordings } from './recording/recording-manager.ts';
import { RecordingSequence } from './recording/recording-sequence.ts';

const cli = fileURLToPath(new URL('../../bin/twinline.js', import.meta.url));
const plantFile = fileURLToPath(new URL('../../e2e/fixtures/test-plant.yaml', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs the command line until it exits or `stopAfterMs` passes; returns its exit code and output. */
function run(args: string[], stopAfterMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), stopAfterMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('twinline record', () => {
  it('records around the clock, a new file at each --file-age, one session on replay', { timeout: 30_000 }, async () => {
    const broker = await startEmbeddedBroker();
    const out = join(folder, 'edge-box');
    try {
      const result = await run(['record', '--plant', plantFile, '--broker', broker.url, '--simulate', '--out', out, '--file-age', '1s'], 6000);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    } finally {
      await broker.close();
    }
    const files = listRecordings(out).map((entry) => entry.file);
    expect(files.length).toBeGreaterThanOrEqual(3);
    const session = new RecordingSequence(files, () => true);
    const { start, end } = session.timeRange();
    expect(end - start).toBeGreaterThan(2500);
    const samples = [...session.eventsBetween(start, end)].filter((event) => event.code >= 0);
    // Three signals at 2 Hz: about six samples a second of the range (every sample across a rollover is checked in recording-sequence.test.ts).
    expect(samples.length).toBeGreaterThan(((end - start) / 1000) * 3);
    session.close();
  });

  it('refuses settings it cannot read, naming them', async () => {
    const result = await run(['record', '--plant', plantFile, '--broker', 'mqtt://127.0.0.1:9', '--keep', 'lots'], 5000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--keep must be a size like 500MB or 20GB, not "lots"');
  });
});
