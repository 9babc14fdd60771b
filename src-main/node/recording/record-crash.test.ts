import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { seededRandom } from '../../common/seeded-random.ts';
import { startEmbeddedBroker } from '../embedded-broker.ts';
import { decodeEvents, decodeKeyframe, eventObjects, type RecordedEvent } from './chunk-codec.ts';
import { listRecordings } from './recording-manager.ts';
import { RecordingReader } from './recording-reader.ts';
import { sessionFiles } from './recording-sequence.ts';

const cli = fileURLToPath(new URL('../../../bin/twinline.js', import.meta.url));
const plantFile = fileURLToPath(new URL('./fixtures/record-crash-plant.yaml', import.meta.url));
const signalCount = parsePlantOrThrow(readFileSync(plantFile, 'utf8')).machines.length;
const folder = mkdtempSync(join(tmpdir(), 'twinline-record-crash-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const kills = 20;
/** Odd machines publish values no three decimals hold, so blocks carry raw doubles as well as decimals. */
const offsetOf = (signal: number) => (signal % 2 === 1 ? 1 / 7 : 0);
/** The counter a sample carries (see startPublisher). */
const counterOf = (sample: RecordedEvent) => Math.round(sample.value - offsetOf(sample.code));

/** One file's committed content, as read back after a kill. */
interface FileContent {
  file: string;
  continues: string | undefined;
  /** Every committed sample, in order. */
  samples: RecordedEvent[];
  /** The first keyframe's value of each signal (undefined: never heard from): what a rollover carried over. */
  firstKeyframe: Array<number | undefined> | undefined;
}

/** What SQLite's quick_check says of a file, opened read-only as every reader of recordings opens it. */
function quickCheck(file: string): string[] {
  let database: DatabaseSync | undefined;
  try {
    database = new DatabaseSync(file, { readOnly: true });
    return database.prepare('PRAGMA quick_check').all().map((row) => String(Object.values(row)[0]));
  } catch (error) {
    // A reader can fail where a writer would recover (a hot rollback journal needs writing to undo): that is a finding too.
    return [`it cannot be checked: ${error instanceof Error ? error.message : String(error)}`];
  } finally {
    database?.close();
  }
}

/**
 * Reads back everything committed to one recording and checks that every batch is whole: each block
 * decodes to exactly the events its row counts, in time order, inside its chunk, ending at its row's
 * end time; its chunk's keyframe is there; and meta's endTime, written in the same transaction as the
 * last batch, is that batch's end. Problems are added to `problems` (one expect per event would be slow).
 */
function readCommitted(file: string, problems: string[]): FileContent {
  const name = basename(file);
  const database = new DatabaseSync(file, { readOnly: true });
  try {
    const meta = new Map(database.prepare('SELECT key, value FROM meta').all().map((row) => [String(row.key), String(row.value)]));
    const brokerCount = (JSON.parse(meta.get('brokerIds') ?? '[]') as string[]).length;
    const chunks = database.prepare('SELECT start_time, keyframe FROM chunks ORDER BY start_time').all() as Array<{ start_time: number; keyframe: Uint8Array }>;
    const parts = database.prepare('SELECT id, chunk_start, end_time, event_count, events FROM chunk_parts ORDER BY chunk_start, id').all() as Array<{
      id: number;
      chunk_start: number;
      end_time: number;
      event_count: number;
      events: Uint8Array;
    }>;
    for (const { start_time, keyframe } of chunks) {
      try {
        decodeKeyframe(keyframe, { signals: signalCount, brokers: brokerCount });
      } catch (error) {
        problems.push(`${name}: the keyframe at ${start_time} does not decode: ${String(error)}`);
      }
    }
    const samples: RecordedEvent[] = [];
    // Values are stored as steps from the previous value in the chunk, so a chunk's blocks decode in order, sharing this.
    let previousScaled = new Map<number, number>();
    let chunk = -1;
    let lastTime = Number.NEGATIVE_INFINITY;
    for (const part of parts) {
      const label = `${name} part ${part.id}`;
      if (chunk < 0 || chunks[chunk]!.start_time !== part.chunk_start) {
        chunk = chunks.findIndex((row) => row.start_time === part.chunk_start);
        previousScaled = new Map();
        // A chunk's keyframe is written in the same transaction as its first block.
        if (chunk < 0) {
          problems.push(`${label}: no keyframe for its chunk ${part.chunk_start}`);
          continue;
        }
      }
      const nextChunk = chunks[chunk + 1]?.start_time ?? Number.POSITIVE_INFINITY;
      let events: RecordedEvent[];
      try {
        // Decoded without the row's expectations, so that the counts and times below are this test's own checks.
        events = eventObjects(decodeEvents(part.events, previousScaled));
      } catch (error) {
        problems.push(`${label}: does not decode: ${String(error)}`);
        continue;
      }
      if (events.length !== part.event_count || events.length === 0) problems.push(`${label}: ${events.length} events where its row says ${part.event_count}`);
      for (const event of events) {
        if (!(event.time >= part.chunk_start && event.time < nextChunk)) problems.push(`${label}: an event at ${event.time}, outside its chunk ${part.chunk_start}–${nextChunk}`);
        if (event.time > part.end_time) problems.push(`${label}: an event at ${event.time}, after its row's end time ${part.end_time}`);
        if (event.time < lastTime) problems.push(`${label}: an event at ${event.time} after one at ${lastTime}`);
        if (!(event.code >= -brokerCount && event.code < signalCount)) problems.push(`${label}: an event of code ${event.code}`);
        lastTime = event.time;
        if (event.code >= 0) samples.push(event);
      }
      if (events.length > 0 && events.at(-1)!.time !== part.end_time) problems.push(`${label}: ends at ${events.at(-1)!.time} where its row says ${part.end_time}`);
    }
    if (parts.length > 0 && Number(meta.get('endTime')) !== lastTime) problems.push(`${name}: meta endTime ${meta.get('endTime')} where the last block ends at ${lastTime}`);
    const firstKeyframe = chunks.length === 0 ? undefined : decodeKeyframe(chunks[0]!.keyframe).signals.map((state) => state?.value);
    return { file, continues: meta.get('continues'), samples, firstKeyframe };
  } finally {
    database.close();
  }
}

/**
 * Checks the files one run wrote, in order: one session, each file continuing the one before with the
 * state it left, and every signal's counter going up by one from sample to sample across them —
 * nothing committed before a rollover is missing after it.
 */
function checkRun(run: readonly FileContent[], label: string, problems: string[]): void {
  if (run.length === 0) return;
  const session = sessionFiles(folder, run.at(-1)!.file);
  if (session.slice(-run.length).join() !== run.map((content) => content.file).join()) problems.push(`${label}: its files are not one session (${session.map((file) => basename(file)).join(', ')})`);
  const lastValue = new Array<number | undefined>(signalCount).fill(undefined);
  const lastSample = new Array<RecordedEvent | undefined>(signalCount).fill(undefined);
  run.forEach((content, index) => {
    const name = `${label}, ${basename(content.file)}`;
    if (index > 0) {
      const previous = run[index - 1]!;
      if (content.continues !== basename(previous.file)) problems.push(`${name}: continues ${content.continues}, not ${basename(previous.file)}`);
      if (content.firstKeyframe && content.firstKeyframe.join() !== lastValue.join()) problems.push(`${name}: its first keyframe (${content.firstKeyframe.join()}) is not where the file before left off (${lastValue.join()})`);
      const previousEnd = run.slice(0, index).findLast((earlier) => earlier.samples.length > 0)?.samples.at(-1)!.time;
      if (previousEnd !== undefined && content.samples.length > 0 && content.samples[0]!.time < previousEnd) problems.push(`${name}: starts at ${content.samples[0]!.time}, before the file before ends (${previousEnd})`);
    }
    for (const sample of content.samples) {
      const before = lastSample[sample.code];
      if (before && counterOf(sample) !== counterOf(before) + 1) problems.push(`${name}: signal ${sample.code} went from ${counterOf(before)} to ${counterOf(sample)}`);
      lastSample[sample.code] = sample;
      lastValue[sample.code] = sample.value;
    }
  });
}

/** Publishes each machine's counter (0, 1, 2 …, plus its offset) in order, about 2,000 messages a second in all. */
async function startPublisher(url: string): Promise<() => Promise<void>> {
  const client = await mqtt.connectAsync(url, { clientId: `twinline-crash-publisher-${process.pid}`, queueQoSZero: false });
  const counters = new Array<number>(signalCount).fill(0);
  const timer = setInterval(() => {
    for (let signal = 0; signal < signalCount; signal++) {
      const counter = counters[signal]!;
      counters[signal] = counter + 1;
      client.publish(`crash/m${signal}`, JSON.stringify({ value: counter + offsetOf(signal) }), { qos: 0 });
    }
  }, 10);
  return async () => {
    clearInterval(timer);
    await client.endAsync();
  };
}

/** Waits `ms`, or until `count` new recordings have appeared in the folder (the moment each is made), or the child exits. */
function waitForKill(child: ChildProcess, ms: number, count: number, old: ReadonlySet<string>): Promise<void> {
  return new Promise((resolve) => {
    const appeared = new Set<string>();
    const watcher = count > 0 ? watch(folder) : undefined;
    const done = () => {
      clearTimeout(timer);
      watcher?.close();
      resolve();
    };
    const timer = setTimeout(done, ms);
    watcher?.on('change', (_, name) => {
      if (typeof name !== 'string' || !name.endsWith('.twinline') || old.has(join(folder, name))) return;
      appeared.add(name);
      if (appeared.size >= count) done();
    });
    child.once('exit', done);
  });
}

describe('the real twinline record, SIGKILLed at random moments', () => {
  it(`leaves every file sound and every committed batch whole, rollovers included (${kills} kills)`, { timeout: 240_000 }, async () => {
    const broker = await startEmbeddedBroker();
    const stopPublishing = await startPublisher(broker.url);
    const next = seededRandom(20_261_125);
    const problems: string[] = [];
    // Files checked after earlier kills, with their sizes then: a later run must not touch them.
    const checked = new Map<string, string>();
    const refused = new Map<string, string>();
    const sizes = (file: string) => [file, `${file}-wal`].map((path) => (existsSync(path) ? statSync(path).size : 0)).join('+');
    let killedAsMade = 0;
    let rollovers = 0;
    let samples = 0;
    try {
      for (let kill = 0; kill < kills; kill++) {
        // A new file at every commit (once a second), so runs of a few seconds roll over several times.
        const child = spawn(process.execPath, [cli, 'record', '--plant', plantFile, '--broker', broker.url, '--out', folder, '--file-age', '0.5s'], { stdio: ['ignore', 'ignore', 'pipe'] });
        let errors = '';
        child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
        // Every fourth kill falls the instant a file appears, as the run's first file or a rollover's new
        // one is being made; the others at a random moment once the run has begun recording.
        const asMade = kill % 4 === 3;
        await waitForKill(child, 10_000, asMade ? 1 + Math.floor(next() * 3) : 1, new Set(checked.keys()));
        if (!asMade) await waitForKill(child, Math.floor(next() * 2_000), 0, new Set());
        expect(child.exitCode, `run ${kill} ended by itself: ${errors}`).toBeNull();
        child.kill('SIGKILL');
        await new Promise((resolve) => (child.signalCode === null ? child.once('exit', resolve) : resolve(undefined)));
        if (asMade) killedAsMade++;

        const label = `run ${kill}${asMade ? ' (killed as a file was made)' : ''}`;
        const files = listRecordings(folder).map((entry) => entry.file);
        // Every file in the folder is sound; the earlier runs' files are as they were.
        for (const file of files) {
          const check = quickCheck(file);
          if (check.join() !== 'ok') problems.push(`${label}: quick_check of ${basename(file)}: ${check.slice(0, 3).join('; ')}`);
          if (checked.has(file) && checked.get(file) !== sizes(file)) problems.push(`${label}: ${basename(file)} of an earlier run changed`);
        }
        const fresh = files.filter((file) => !checked.has(file));
        for (const file of fresh) {
          // The reader opens it, checking it in full, as the replay of a file from elsewhere does.
          try {
            new RecordingReader(file).close();
          } catch (error) {
            refused.set(file, `${label}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
        const run = fresh.filter((file) => !refused.has(file)).map((file) => readCommitted(file, problems));
        checkRun(run, label, problems);
        rollovers += Math.max(0, run.length - 1);
        samples += run.reduce((sum, content) => sum + content.samples.length, 0);
        for (const file of files) checked.set(file, sizes(file));
      }
    } finally {
      await stopPublishing();
      await broker.close();
    }
    // The kills did land as files were made, the runs rolled over, and a good deal was recorded.
    expect({ killedAsMade: killedAsMade >= 5, rollovers: rollovers >= 10, samples: samples >= 15_000 }, `${killedAsMade} kills as files were made, ${rollovers} rollovers, ${samples} samples`).toEqual({
      killedAsMade: true,
      rollovers: true,
      samples: true,
    });
    expect(problems).toEqual([]);
    // Every file a killed process left opens as a recording, and nothing half made is left beside them
    // (a process killed while it makes a file must not leave an empty or unreadable one).
    expect([...refused.values()]).toEqual([]);
    expect(readdirSync(folder).filter((name) => !/\.twinline(-wal|-shm)?$/.test(name))).toEqual([]);
  });
});
