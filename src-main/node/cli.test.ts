import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../common/parse-plant.ts';
import { startEmbeddedBroker } from './embedded-broker.ts';
import { parseCsvExport } from './recording/export-csv.ts';
import { Recorder } from './recording/recorder.ts';
import { listRecordings } from './recording/recording-manager.ts';
import { RecordingSequence } from './recording/recording-sequence.ts';

const cli = fileURLToPath(new URL('../../bin/twinline.js', import.meta.url));
const plantFile = fileURLToPath(new URL('../../e2e/fixtures/test-plant.yaml', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** When to stop a command that would run on: after a time, or once it has done what the test waits for (checked every 100 ms, at most `maxMs`). */
type StopWhen = number | { done: (output: { stdout: string; stderr: string }) => boolean; maxMs: number };

/** Runs the command line until it exits or `stopWhen` says; returns its exit code and output. */
function run(args: string[], stopWhen: StopWhen, environment: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...environment } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // One SIGTERM only: a second ends the process at once, mid-shutdown.
    let stopped = false;
    const stop = () => {
      if (!stopped) child.kill('SIGTERM');
      stopped = true;
    };
    const timer = setTimeout(stop, typeof stopWhen === 'number' ? stopWhen : stopWhen.maxMs);
    // A loaded machine starts the process late: wait for what the test needs rather than a fixed time.
    const poll = typeof stopWhen === 'number' ? undefined : setInterval(() => stopWhen.done({ stdout, stderr }) && stop(), 100);
    child.once('exit', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('twinline record', () => {
  it('records around the clock, a new file at each --file-age, one session on replay', { timeout: 40_000 }, async () => {
    const broker = await startEmbeddedBroker();
    const out = join(folder, 'edge-box');
    try {
      // Three files of about a second each, however long the start takes on a loaded machine.
      const result = await run(['record', '--plant', plantFile, '--broker', broker.url, '--simulate', '--out', out, '--file-age', '1s'], {
        done: () => existsSync(out) && listRecordings(out).length >= 4,
        maxMs: 25_000,
      });
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
      // Connected and simulating, then a second and a half of samples, however late a loaded machine gets there.
      let readyAt: number | undefined;
      const ready = ({ stdout }: { stdout: string }) => {
        if (readyAt === undefined && stdout.includes('broker line: connected') && stdout.includes('simulating')) readyAt = Date.now();
        return readyAt !== undefined && Date.now() - readyAt > 1500;
      };
      const result = await run(['record', '--plant', plant, '--simulate', '--out', out], { done: ready, maxMs: 25_000 }, { TWINLINE_TEST_LINE_URL: broker.url });
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
    const result = await run(['record', '--plant', plant, '--out', join(folder, 'literal')], { done: ({ stdout }) => stdout.includes('the password is written in the plant file'), maxMs: 12_000 });
    expect(result.stdout).toContain('broker "line": the password is written in the plant file; use ${VARIABLE} or the keychain');
    expect(result.stdout + result.stderr).not.toContain('hunter2-literal');
  });
});

// Each test starts the command line several times; on a loaded machine each start can take seconds.
describe('twinline export', { timeout: 90_000 }, () => {
  const exportPlantText = `name: Export line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - id: stand-f4
    name: Finishing stand F4
    area: Mill
    line: Finishing
    primitive: { shape: box }
    signals:
      - { id: roll-force, topic: mill/f4/force, unit: kN }
      - { id: temperature, topic: mill/f4/temperature, unit: °C }
  - id: stand-f3
    name: Finishing stand F3
    area: Mill
    line: Finishing
    primitive: { shape: box }
    signals:
      - { id: roll-force, topic: mill/f3/force, unit: kN }
  - id: pump
    name: Pump
    area: Utilities
    line: Water
    primitive: { shape: box }
    signals:
      - { id: pressure, topic: utilities/pump/pressure }
`;
  const signalKeys = ['stand-f4/roll-force', 'stand-f4/temperature', 'stand-f3/roll-force', 'pump/pressure'];
  const start = Date.UTC(2026, 10, 25, 6, 0, 0);
  const seconds = 600;

  /** A recording of four signals, one sample each a second for ten minutes from 06:00:00 UTC; the pump's unit comes from its source. */
  function writeRecording(): string {
    const file = join(folder, 'export-line.twinline');
    const plant = parsePlantOrThrow(exportPlantText);
    const recorder = new Recorder(file, { plant, plantText: exportPlantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys, brokerIds: ['line'] });
    recorder.recordMetadata([{ signal: 3, unit: 'bar' }]);
    recorder.recordConnection(0, true, start);
    for (let second = 0; second < seconds; second++) {
      for (let code = 0; code < signalKeys.length; code++) recorder.recordSample(code, second + code / 10, start + second * 1000);
    }
    recorder.close();
    return file;
  }
  const recording = writeRecording();

  /** The samples of a CSV export, as signal and time. */
  function exported(text: string): Array<{ signal: string; time: number }> {
    return parseCsvExport(text).map((sample) => ({ signal: sample.signal, time: sample.time }));
  }

  it('exports every signal of a machine when --signal names the machine, each signal once', async () => {
    const result = await run(['export', recording, '--signal', 'stand-f4', '--signal', 'stand-f4/roll-force', '--signal', 'pump/pressure'], 15_000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const samples = exported(result.stdout);
    expect(new Set(samples.map((sample) => sample.signal))).toEqual(new Set(['stand-f4/roll-force', 'stand-f4/temperature', 'pump/pressure']));
    expect(samples).toHaveLength(3 * seconds);
  });

  it('reads --from and --to in the zone they name, and refuses a time without one', async () => {
    const inUtc = await run(['export', recording, '--signal', 'stand-f3/roll-force', '--from', '2026-11-25T06:02:00Z', '--to', '2026-11-25T06:03:00Z'], 15_000);
    expect(inUtc.code).toBe(0);
    expect(exported(inUtc.stdout).map((sample) => sample.time)).toEqual(Array.from({ length: 61 }, (_, index) => start + (120 + index) * 1000));
    // The same instants read off a clock in Berlin (+01:00) and in Chicago (-06:00).
    const inOffsets = await run(['export', recording, '--signal', 'stand-f3/roll-force', '--from', '2026-11-25T07:02:00+01:00', '--to', '2026-11-25T00:03:00-06:00'], 15_000);
    expect(inOffsets.code).toBe(0);
    expect(inOffsets.stdout).toBe(inUtc.stdout);

    const out = join(folder, 'no-zone.csv');
    const withoutZone = await run(['export', recording, '--from', '2026-11-25T06:02:00', '--out', out], 15_000);
    expect(withoutZone.code).toBe(1);
    expect(withoutZone.stderr).toBe('--from: "2026-11-25T06:02:00" has no time zone: add Z for UTC (2026-11-25T06:02:00Z) or the offset of the clock it was read from (e.g. 2026-11-25T06:02:00+01:00)\n');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses --from later than --to, writing nothing', async () => {
    const out = join(folder, 'backwards.csv');
    const result = await run(['export', recording, '--from', '2026-11-25T06:05:00Z', '--to', '2026-11-25T06:01:00Z', '--out', out], 15_000);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('--from 2026-11-25T06:05:00.000Z is later than --to 2026-11-25T06:01:00.000Z: nothing to export (swap them?)\n');
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    const toStdout = await run(['export', recording, '--from', '2026-11-25T06:05:00Z', '--to', '2026-11-25T06:01:00Z'], 15_000);
    expect(toStdout.code).toBe(1);
    expect(toStdout.stdout).toBe('');
  });

  it('never writes over an existing --out file, and says so in words', async () => {
    const out = join(folder, 'taken.csv');
    writeFileSync(out, 'an earlier export\n');
    const result = await run(['export', recording, '--out', out], 15_000);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`${out} exists: choose another name or remove it\n`);
    expect(readFileSync(out, 'utf8')).toBe('an earlier export\n');
  });

  it('names near matches for an unknown signal or machine, writing nothing', async () => {
    const out = join(folder, 'unknown.csv');
    const signal = await run(['export', recording, '--signal', 'stand-f4/roll-forse', '--out', out], 15_000);
    expect(signal.code).toBe(1);
    expect(signal.stderr).toContain('has no signal "stand-f4/roll-forse" (near matches: stand-f4/roll-force, stand-f3/roll-force)');
    expect(signal.stderr).toContain('--list shows every signal');
    const machine = await run(['export', recording, '--signal', 'stand-f5', '--out', out], 15_000);
    expect(machine.code).toBe(1);
    expect(machine.stderr).toContain('has no machine "stand-f5" (near matches: stand-f3, stand-f4)');
    // A signal typed without its machine finds the signals of that name.
    const bare = await run(['export', recording, '--signal', 'roll-force'], 15_000);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('has no machine "roll-force" (near matches: stand-f3/roll-force, stand-f4/roll-force)');
    expect(bare.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('--list prints the time range and every signal key with its unit', async () => {
    const result = await run(['export', recording, '--list'], 15_000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'recorded from 2026-11-25T06:00:00.000Z to 2026-11-25T06:09:59.000Z',
      '4 signals:',
      'stand-f4/roll-force   kN',
      'stand-f4/temperature  °C',
      'stand-f3/roll-force   kN',
      'pump/pressure         bar',
      '',
    ]);
  });
});
