import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
function run(args: string[], stopAfterMs: number, environment: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...environment } });
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

  /** The test plant with this `brokers:` list put before its machines. */
  function plantWithBrokers(name: string, brokers: string): string {
    const file = join(folder, name);
    writeFileSync(file, readFileSync(plantFile, 'utf8').replace(/^machines:/m, `brokers:\n${brokers}\nmachines:`));
    return file;
  }

  it('takes the brokers from the plant file, filling in ${NAME} from the environment, with no --broker', { timeout: 30_000 }, async () => {
    const broker = await startEmbeddedBroker();
    const out = join(folder, 'from-plant-file');
    const plant = plantWithBrokers('env-url.yaml', '  - { id: line, url: "${TWINLINE_TEST_LINE_URL}" }');
    try {
      const result = await run(['record', '--plant', plant, '--simulate', '--out', out], 4000, { TWINLINE_TEST_LINE_URL: broker.url });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      // Recorded from the plant file's broker, never from a demo broker of its own.
      expect(result.stdout).not.toContain('embedded MQTT broker');
    } finally {
      await broker.close();
    }
    const files = listRecordings(out).map((entry) => entry.file);
    expect(files.length).toBeGreaterThanOrEqual(1);
    const session = new RecordingSequence(files, () => true);
    const { start, end } = session.timeRange();
    expect([...session.eventsBetween(start, end)].filter((event) => event.code >= 0).length).toBeGreaterThan(0);
    session.close();
  });

  it('refuses to start when a broker has no URL, naming every such broker, instead of starting a broker of its own', async () => {
    const plant = plantWithBrokers('no-url.yaml', '  - { id: line }\n  - { id: utilities }\n  - { id: given, url: "mqtt://127.0.0.1:9" }');
    const result = await run(['record', '--plant', plant, '--out', join(folder, 'never')], 5000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No URL for brokers "line", "utilities"');
    expect(result.stdout).not.toContain('embedded MQTT broker');
  });

  it('names the missing environment variable and its broker, and --broker ID=URL replaces a URL reference', async () => {
    const plant = plantWithBrokers('env-missing.yaml', '  - { id: line, url: "${TWINLINE_TEST_UNSET_URL}", username: viewer, password: "${TWINLINE_TEST_UNSET_PASSWORD}" }');
    const missing = await run(['record', '--plant', plant, '--out', join(folder, 'never')], 5000);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('broker "line" url: the environment variable TWINLINE_TEST_UNSET_URL is not set');
    expect(missing.stderr).toContain('broker "line" password: the environment variable TWINLINE_TEST_UNSET_PASSWORD is not set');
    const overridden = await run(['record', '--plant', plant, '--broker', 'line=mqtt://127.0.0.1:9', '--out', join(folder, 'never')], 5000);
    expect(overridden.code).toBe(1);
    expect(overridden.stderr).not.toContain('TWINLINE_TEST_UNSET_URL');
    expect(overridden.stderr).toContain('TWINLINE_TEST_UNSET_PASSWORD is not set');
  });

  it('warns at start about a password written in the plant file, never printing it', { timeout: 15_000 }, async () => {
    const plant = plantWithBrokers('literal.yaml', '  - { id: line, url: "mqtt://127.0.0.1:9", username: viewer, password: "hunter2-literal" }');
    const result = await run(['record', '--plant', plant, '--out', join(folder, 'literal')], 2500);
    expect(result.stdout).toContain('broker "line": the password is written in the plant file; use ${VARIABLE} or the keychain');
    expect(result.stdout + result.stderr).not.toContain('hunter2-literal');
  });
});
