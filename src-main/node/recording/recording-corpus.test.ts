import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { seededRandom } from '../../common/seeded-random.ts';
import { LiveSource } from '../live-source.ts';
import type { ReplayOutcome, ReplayRequest } from './fixtures/replay-mutated-recordings.ts';
import { replayAsOpenAndExportDo } from './fixtures/replay-mutated-recordings.ts';
import { mutatedRecordings } from './mutate-recording.ts';
import { RecordingManager } from './recording-manager.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-corpus-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const mutants = 1040;
const batchSize = 40;
// Two batches are read at once, each in its own worker, while the next is written: on two cores the
// mutating (this thread) and the reading (the workers) overlap instead of taking turns.
const batchesAtOnce = 2;
const maxMillisecondsPerFile = 5000;
const maxBytesPerFile = 512 * 1024 * 1024;
// A worker that reports nothing for this long is stuck in one file: it is ended and the file counted as a hang.
const watchdogMs = 2 * maxMillisecondsPerFile;

const plantText = `name: Corpus line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
  - { id: utilities, url: "mqtt://127.0.0.1:10" }
machines:
  - id: oven
    name: Oven
    area: A
    line: L
    model: { file: oven.glb, node: oven }
    signals:
      - { id: temperature, topic: t/oven, period: 1, limits: { highWarn: 80, highAlarm: 90, deadband: 3, onDelay: 2 } }
      - { id: fan, topic: t/fan, period: 1, limits: { lowWarn: 10 } }
  - id: pump
    name: Pump
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: pressure, topic: t/pump, broker: utilities, period: 1, staleAfter: 3, limits: { lowAlarm: 1, highAlarm: 9 } }
      - { id: flow, topic: t/flow, broker: utilities, period: 1 }
      - { id: vibration, topic: t/vibration, period: 1, limits: { highWarn: 7 } }
`;

/**
 * A real recording as the host makes it: a LiveSource feeding a RecordingManager that commits every
 * second and rolls over every three minutes, across an hour's end (so hour rows are written and
 * minutes settle), with alarms, a broker going away and coming back, and raw doubles beside decimals.
 * The base is the file after the rollover, copied while still being written — a `continues` name, a
 * carried keyframe, settled and recent minute rows, and a tail not rolled up yet — and checkpointed
 * into one self-contained file.
 */
function recordBase(): Uint8Array {
  const plant = parsePlantOrThrow(plantText);
  const directory = join(folder, 'recordings');
  let now = Date.UTC(2026, 10, 25, 10, 55, 30);
  const source = {
    plant,
    plantText,
    plantFileName: 'plant.yaml',
    models: new Map([['oven.glb', new Uint8Array([103, 108, 84, 70, 2, 0, 0, 0])]]),
    signalKeys: ['oven/temperature', 'oven/fan', 'pump/pressure', 'pump/flow', 'pump/vibration'],
    brokerIds: ['line', 'utilities'],
  };
  const manager = new RecordingManager(source, { directory, maxFileMs: 180_000, clock: () => now });
  manager.start();
  const live = new LiveSource({ plant, clock: () => now, observer: manager });
  const status = (state: 'connected' | 'reconnecting') => ({ brokerId: '', url: '', state, since: now, reconnectAttempts: 0, protocol: 4 as const, subscriptions: 0, warnings: [] });
  live.applyBrokerStatus(0, status('connected'));
  live.applyBrokerStatus(1, status('connected'));
  const next = seededRandom(2026);
  const snapshotAt = Date.UTC(2026, 10, 25, 11, 1, 20);
  let lastCommit = now;
  while (now < snapshotAt) {
    now += 50 + Math.floor(next() * 200);
    const roll = next();
    const wave = Math.sin(now / 20_000);
    if (roll < 0.3) live.ingest(0, 't/oven', Buffer.from(JSON.stringify({ value: Math.round((80 + 15 * wave + next() * 4) * 10) / 10 })));
    else if (roll < 0.45) live.ingest(0, 't/fan', Buffer.from(String(Math.round(next() * 30))));
    else if (roll < 0.65) live.ingest(1, 't/pump', Buffer.from(JSON.stringify({ value: Math.round((5 + 5 * wave) * 1000) / 1000 })));
    else if (roll < 0.8) live.ingest(1, 't/flow', Buffer.from(String(next() * 100)));
    else if (roll < 0.98) live.ingest(0, 't/vibration', Buffer.from(String(Math.round(next() * 9000) / 1000)));
    else if (roll < 0.99) live.applyBrokerStatus(1, status(next() < 0.5 ? 'reconnecting' : 'connected'));
    if (now - lastCommit >= 1000) {
      manager.commit();
      lastCommit = now;
    }
  }
  manager.commit();
  const file = manager.currentFile()!;
  // The recorder still has the file open: its committed batches are in the file and its write-ahead log.
  const copy = join(folder, 'base.twinline');
  cpSync(file, copy);
  cpSync(`${file}-wal`, `${copy}-wal`);
  manager.stop();
  const database = new DatabaseSync(copy);
  database.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  database.close();
  return readFileSync(copy);
}

/** Reads `files` in a worker with a heap limit, one outcome per file; a worker that dies or hangs is replaced and its file failed. */
async function replayInWorkers(requests: ReplayRequest[], outcomes: Map<number, ReplayOutcome>): Promise<void> {
  let pending = [...requests];
  while (pending.length > 0) {
    const worker = new Worker(new URL('./fixtures/replay-mutated-recordings.ts', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 512 } });
    const done = new Set<number>();
    const lost = await new Promise<string | undefined>((resolve) => {
      let watchdog = setTimeout(() => resolve('no answer within 10 s: it hangs'), watchdogMs);
      worker.on('message', (message: ReplayOutcome & { index: number; batchDone?: boolean }) => {
        clearTimeout(watchdog);
        if (message.batchDone) return resolve(undefined);
        done.add(message.index);
        outcomes.set(message.index, message);
        watchdog = setTimeout(() => resolve('no answer within 10 s: it hangs'), watchdogMs);
      });
      worker.on('error', (error) => resolve(`the worker died: ${error.message}`));
      worker.on('exit', (code) => resolve(`the worker exited with ${code}`));
      worker.postMessage(pending);
    });
    // A worker stuck inside one SQLite call cannot be stopped (termination waits for JavaScript to run
    // again): it is let go and left to the end of the test process, and the next worker carries on.
    worker.removeAllListeners();
    worker.unref();
    void worker.terminate();
    pending = pending.filter((request) => !done.has(request.index));
    if (lost !== undefined) {
      const culprit = pending.shift()!;
      outcomes.set(culprit.index, { outcome: 'refused', message: '', damaged: 0, rows: 0, milliseconds: Number.NaN, peakBytes: Number.NaN, failure: lost });
    }
  }
}

describe('a corpus of damaged and forged recordings', () => {
  it(`replays what is intact or refuses with a clear message, each of ${mutants} within 5 s and 512 MB`, async () => {
    const base = recordBase();
    // The base itself replays whole: every sample exported, nothing marked damaged.
    const baseFile = join(folder, 'base-check.twinline');
    writeFileSync(baseFile, base);
  const control = replayAsOpenAndExportDo(baseFile, 0);
    expect(control).toMatchObject({ outcome: 'replayed', damaged: 0 });
    expect(control.rows).toBeGreaterThan(500);

    const mutantFolder = join(folder, 'mutants');
    const outcomes = new Map<number, ReplayOutcome>();
    const descriptions: Array<{ name: string; kind: string; description: string }> = [];
    let batch: ReplayRequest[] = [];
    let batchFolder = '';
    let batches = 0;
    const reading = new Set<Promise<void>>();
    const flush = async () => {
      const [requests, readFolder] = [batch, batchFolder];
      batch = [];
      // Each batch's files go once read; the folder never holds more than the batches being read and written.
      const read = replayInWorkers(requests, outcomes).finally(() => {
        rmSync(readFolder, { recursive: true, force: true });
        reading.delete(read);
      });
      reading.add(read);
      if (reading.size >= batchesAtOnce) await Promise.race(reading);
    };
    for (const mutant of mutatedRecordings(base, mutants, 7)) {
      if (batch.length === 0) {
        batchFolder = join(mutantFolder, String(batches++));
        mkdirSync(batchFolder, { recursive: true });
      }
      const index = descriptions.length;
      descriptions.push({ name: mutant.name, kind: mutant.name.replace(/^mutant-\d+-|\.twinline$/g, ''), description: mutant.description });
      const file = join(batchFolder, mutant.name);
      writeFileSync(file, mutant.bytes);
      batch.push({ index, file });
      if (batch.length === batchSize) await flush();
      // The workers' answers are taken between two mutants, so no watchdog runs out while this thread writes.
      else await new Promise((resolve) => setImmediate(resolve));
    }
    if (batch.length > 0) await flush();
    await Promise.all(reading);

    const summary = new Map<string, { refused: number; replayed: number; withDamage: number; slowest: number }>();
    const failures: string[] = [];
    descriptions.forEach(({ name, kind, description }, index) => {
      const outcome = outcomes.get(index);
      if (!outcome) return void failures.push(`${name} (${description}): never read`);
      const line = summary.get(kind) ?? { refused: 0, replayed: 0, withDamage: 0, slowest: 0 };
      line[outcome.outcome]++;
      if (outcome.outcome === 'replayed' && outcome.damaged > 0) line.withDamage++;
      line.slowest = Math.max(line.slowest, Math.round(outcome.milliseconds));
      summary.set(kind, line);
      if (outcome.failure) failures.push(`${name} (${description}): ${outcome.failure}`);
      else if (!(outcome.milliseconds < maxMillisecondsPerFile)) failures.push(`${name} (${description}): took ${Math.round(outcome.milliseconds)} ms`);
      else if (!(outcome.peakBytes < maxBytesPerFile)) failures.push(`${name} (${description}): held ${Math.round(outcome.peakBytes / 2 ** 20)} MiB`);
    });
    const totals = [...summary.values()].reduce((sum, line) => ({ refused: sum.refused + line.refused, replayed: sum.replayed + line.replayed, withDamage: sum.withDamage + line.withDamage }), { refused: 0, replayed: 0, withDamage: 0 });
    console.log(
      `${outcomes.size} mutated recordings: ${totals.refused} refused, ${totals.replayed} replayed (${totals.withDamage} of them with damaged stretches marked)\n` +
        [...summary].map(([kind, line]) => `  ${kind.padEnd(26)} refused ${String(line.refused).padStart(3)}  replayed ${String(line.replayed).padStart(3)}  with damage ${String(line.withDamage).padStart(3)}  slowest ${line.slowest} ms`).join('\n'),
    );
    expect(failures).toEqual([]);
    expect(descriptions).toHaveLength(mutants);
    // Both ends of the defence are exercised: forged files refused, damaged ones replayed around their damage.
    expect(totals.refused).toBeGreaterThan(100);
    expect(totals.withDamage).toBeGreaterThan(50);
  }, 300_000);
});
