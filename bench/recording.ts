/**
 * Recording: how fast the `Recorder` writes, how many bytes a sample of the demo plant's telemetry
 * costs on disk, and how long a reader takes to rebuild the full state at a moment (`stateAt`) and to
 * fetch one signal's chart data (`series`) in recordings written at 1k and at 50k samples/s, 1 h and
 * 24 h long. Everything is generated with synthetic timestamps, so no real time passes; files go to
 * a temporary folder that is deleted.
 *
 * Run alone: `node bench/recording.ts`; TWINLINE_BENCH_RECORDING=quick for smaller files, =full
 * for a whole day at 50k samples/s (see `seekProfiles`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { parsePlantOrThrow } from '../src-main/common/parse-plant.ts';
import { operatingPoint } from '../src-main/common/operating-point.ts';
import type { Plant } from '../src-main/common/plant-schema.ts';
import { seededRandom } from '../src-main/common/seeded-random.ts';
import { defaultMaxChunkEvents, Recorder, type RecordingSource } from '../src-main/node/recording/recorder.ts';
import { RecordingReader } from '../src-main/node/recording/recording-reader.ts';
import { ReplaySession } from '../src-main/node/replay/replay-session.ts';
import { machineNote } from './machine-load.ts';
import { printTable } from './print-table.ts';

/** One line of the recording table. */
export interface RecordingRow {
  measure: string;
  result: string;
  target: string;
  /** Undefined for figures given for context, without a target. */
  met: boolean | undefined;
}

const startTime = Date.UTC(2025, 0, 6, 6, 0, 0);
const hourMs = 3_600_000;

/** Nearest-rank percentile of unsorted numbers. */
function percentile(values: readonly number[], rank: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1)]!;
}

/** Bytes of a recording on disk, including a write-ahead log left beside it. */
function fileBytes(file: string): number {
  const wal = `${file}-wal`;
  return statSync(file).size + (existsSync(wal) ? statSync(wal).size : 0);
}

/** Deletes a recording and the files SQLite keeps beside it (a read-only open leaves -wal and -shm). */
function removeRecording(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}

/** Bytes this process has had written to disk so far (Linux), or undefined elsewhere. */
function diskBytesWritten(): number | undefined {
  try {
    const match = /^write_bytes: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** "N KiB written to disk per sample", when the platform tells. */
function diskWritesPerSample(before: number | undefined, samples: number): string {
  const after = diskBytesWritten();
  if (before === undefined || after === undefined) return 'disk writes not measurable on this platform';
  const perSample = (after - before) / samples;
  return perSample < 1024 ? `${perSample.toFixed(1)} B written to disk per sample` : `${(perSample / 1024).toFixed(1)} KiB written to disk per sample`;
}

const integer = (value: number) => Math.round(value).toLocaleString('en-US');
const milliseconds = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

/** What a recording needs besides samples: the plant with its text and the signal order the host uses. */
function sourceOf(plant: Plant, plantText: string): RecordingSource {
  return {
    plant,
    plantText,
    plantFileName: 'plant.yaml',
    models: new Map(),
    signalKeys: plant.machines.flatMap((machine) => machine.signals.map((signal) => `${machine.id}/${signal.id}`)),
    brokerIds: plant.brokers.map((broker) => broker.id),
  };
}

/** A plant of `signalCount` signals, ten to a machine, each with warn and alarm limits around 50. */
function syntheticPlant(signalCount: number): { plant: Plant; plantText: string } {
  const machines = Array.from({ length: Math.ceil(signalCount / 10) }, (_, machineIndex) => ({
    id: `m${machineIndex}`,
    name: `Machine ${machineIndex}`,
    area: 'Bench',
    line: `L${Math.floor(machineIndex / 50)}`,
    primitive: { shape: 'box' },
    signals: Array.from({ length: Math.min(10, signalCount - machineIndex * 10) }, (_, signalIndex) => ({
      id: `s${signalIndex}`,
      topic: `bench/m${machineIndex}/s${signalIndex}`,
      unit: 'bar',
      limits: { lowAlarm: 10, lowWarn: 20, highWarn: 80, highAlarm: 90, deadband: 1 },
    })),
  }));
  // JSON is YAML, and the reader parses the embedded text the same way.
  const plantText = JSON.stringify({ name: `Bench plant of ${signalCount} signals`, brokers: [{ id: 'bench', url: 'mqtt://127.0.0.1:1883' }], machines });
  return { plant: parsePlantOrThrow(plantText), plantText };
}

/** Samples per second through `recordSample`, with a commit every 10,000 samples and the final close. */
export function measureWriteRate(folder: string): { row: RecordingRow; notes: string[] } {
  const signalCount = 5000;
  const sampleCount = 2_500_000;
  const { plant, plantText } = syntheticPlant(signalCount);
  // Inputs are made beforehand, so the clock measures the recorder and nothing else.
  const signals = new Int32Array(sampleCount);
  const values = new Float64Array(sampleCount);
  const times = new Float64Array(sampleCount);
  const random = seededRandom(1);
  const level = Float64Array.from({ length: signalCount }, () => 30 + random() * 40);
  for (let index = 0; index < sampleCount; index++) {
    const signal = index % signalCount;
    level[signal]! += (random() - 0.5) * 0.4;
    signals[index] = signal;
    values[index] = Math.round(level[signal]! * 1000) / 1000;
    // Every signal once a second, spread evenly over the second.
    times[index] = startTime + Math.floor(index / 5);
  }
  const file = join(folder, 'write-rate.twinline');
  const recorder = new Recorder(file, sourceOf(plant, plantText));
  const diskBefore = diskBytesWritten();
  const started = performance.now();
  for (let index = 0; index < sampleCount; index++) {
    recorder.recordSample(signals[index]!, values[index]!, times[index]!);
    if ((index + 1) % 10_000 === 0) recorder.commit();
  }
  recorder.close();
  const seconds = (performance.now() - started) / 1000;
  const rate = sampleCount / seconds;
  const writes = diskWritesPerSample(diskBefore, sampleCount);
  const row = {
    measure: `Write rate, ${integer(signalCount)} signals at 1 Hz, ${integer(sampleCount)} samples (commit every 10,000)`,
    result: `${integer(rate)} samples/s`,
    target: '≥ 500,000 samples/s',
    met: rate >= 500_000,
  };
  const note = `Write rate run: ${seconds.toFixed(1)} s, file ${(fileBytes(file) / sampleCount).toFixed(1)} B/sample, ${writes}.`;
  removeRecording(file);
  return { row, notes: [note] };
}

/** Where a recording's bytes go: pages of each table, free space in overflow pages, and the bytes of the compressed blocks themselves. */
function fileAnatomy(file: string): { tables: Map<string, number>; overflowUnused: number; eventBlockBytes: number; keyframeBytes: number } {
  const database = new DatabaseSync(file, { readOnly: true });
  const tables = database.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as Array<{ name: string; bytes: number }>;
  const overflow = database.prepare("SELECT SUM(unused) AS unused FROM dbstat WHERE pagetype = 'overflow' AND name = 'chunk_parts'").get() as { unused: number | null };
  const events = database.prepare('SELECT SUM(LENGTH(events)) AS bytes FROM chunk_parts').get() as { bytes: number | null };
  const keyframes = database.prepare('SELECT SUM(LENGTH(keyframe)) AS bytes FROM chunks').get() as { bytes: number | null };
  database.close();
  return { tables: new Map(tables.map((row) => [row.name, row.bytes])), overflowUnused: overflow.unused ?? 0, eventBlockBytes: events.bytes ?? 0, keyframeBytes: keyframes.bytes ?? 0 };
}

/**
 * Bytes per sample of an hour of the demo plant's telemetry (a recording file's default length),
 * generated as the simulator does:
 * noise and slow drift around an operating point between the limits, three decimals, each signal at
 * its own period held to 0.1–1 s on a 100 ms tick; committed once per simulated second.
 */
export function measureDemoBytes(folder: string): { row: RecordingRow; notes: string[] } {
  const plantText = readFileSync(join(import.meta.dirname, '..', 'assets', 'demo-plant.yaml'), 'utf8');
  const plant = parsePlantOrThrow(plantText, 'demo-plant.yaml');
  const source = sourceOf(plant, plantText);
  const random = seededRandom(7);
  const simulated = plant.machines.flatMap((machine) =>
    machine.signals.map((signal) => {
      const { nominal, span } = operatingPoint(signal.limits);
      return {
        nominal,
        noise: span * 0.03,
        driftAmplitude: signal.limits ? span * 0.25 : span,
        driftPeriodSeconds: 20 + random() * 40,
        phase: random() * Math.PI * 2,
        intervalMs: Math.min(1000, Math.max(100, signal.period * 1000)),
        lastAt: -Infinity,
      };
    }),
  );
  const file = join(folder, 'demo.twinline');
  const recorder = new Recorder(file, source);
  source.brokerIds.forEach((_, broker) => recorder.recordConnection(broker, true, startTime));
  const durationMs = hourMs;
  let samples = 0;
  let time = startTime;
  for (let tick = 0; tick <= durationMs; tick += 100) {
    // Live timestamps are the host's clock on arrival: a few ms of timer jitter, then a message or two per ms.
    time = Math.max(time, startTime + tick + Math.floor(random() * 4));
    simulated.forEach((signal, index) => {
      if (tick - signal.lastAt < signal.intervalMs - 5) return;
      signal.lastAt = tick;
      const drift = Math.sin((tick / 1000 / signal.driftPeriodSeconds) * Math.PI * 2 + signal.phase) * signal.driftAmplitude;
      const value = Math.round((signal.nominal + drift + (random() - 0.5) * 2 * signal.noise) * 1000) / 1000;
      if (random() < 0.3) time++;
      recorder.recordSample(index, value, time);
      samples++;
    });
    if (tick % 1000 === 0) recorder.commit();
  }
  recorder.close();
  const bytes = fileBytes(file);
  const perSample = bytes / samples;
  const anatomy = fileAnatomy(file);
  removeRecording(file);
  const perSampleOf = (value: number) => (value / samples).toFixed(2);
  const share = (name: string) => perSampleOf(anatomy.tables.get(name) ?? 0);
  const accounted = ['chunk_parts', 'chunk_parts_by_chunk', 'chunks', 'rollups_minute', 'rollups_recent', 'rollups_hour'].reduce((sum, name) => sum + (anatomy.tables.get(name) ?? 0), 0);
  return {
    row: {
      measure: `Bytes per sample, demo plant (${source.signalKeys.length} signals), 1 h = ${integer(samples)} samples`,
      result: `${perSample.toFixed(2)} B/sample (${(bytes / 1024 ** 2).toFixed(2)} MiB)`,
      target: '≤ 4 B/sample',
      met: perSample <= 4,
    },
    notes: [
      `Demo file by table, in B/sample (SQLite pages, free space included): events ${share('chunk_parts')} (the compressed blocks themselves ${perSampleOf(anatomy.eventBlockBytes)}; unused space in overflow pages ${perSampleOf(anatomy.overflowUnused)}), index ${share('chunk_parts_by_chunk')}, keyframes ${share('chunks')} (blocks ${perSampleOf(anatomy.keyframeBytes)}), rollups ${share('rollups_minute')} by minute (${share('rollups_recent')} not yet settled) and ${share('rollups_hour')} by hour, everything else ${perSampleOf(bytes - accounted)}.`,
    ],
  };
}

/** Signals of every seek recording, and their sampling periods: 5,000 every 5 s is 1k samples/s, every 100 ms 50k samples/s. */
const seekSignals = 5000;
const quietPeriodMs = 5000;
const busyPeriodMs = 100;
const minuteMs = 60_000;

/** How big the seek recordings are: `quick` for a try-out, `standard` by default, `full` for the whole day at 50k samples/s (~20 min more, ~10 GB of disk). */
export type RecordingBenchSize = 'quick' | 'standard' | 'full';

/** A seek recording to write and measure. */
export interface SeekProfile {
  id: 'quiet-short' | 'quiet-long' | 'busy-short' | 'busy-long' | 'unbounded';
  durationMs: number;
  /** Each hour's first so many ms are written at 50k samples/s, the rest at 1k: 0 is quiet throughout, an hour or more busy throughout. */
  busyMsPerHour: number;
  /** The recorder's bound on events per chunk; undefined for its default. */
  maxChunkEvents?: number;
}

/** The seek recordings of a run of the given size. */
export function seekProfiles(size: RecordingBenchSize): SeekProfile[] {
  const [short, long] = size === 'quick' ? [10 * minuteMs, 2 * hourMs] : [hourMs, 24 * hourMs];
  return [
    { id: 'quiet-short', durationMs: short, busyMsPerHour: 0 },
    { id: 'quiet-long', durationMs: long, busyMsPerHour: 0 },
    { id: 'busy-short', durationMs: short, busyMsPerHour: hourMs },
    // A whole day at 50k samples/s is 4.3 billion samples, ~10 GB and ~20 min to write: only on request.
    { id: 'busy-long', durationMs: long, busyMsPerHour: size === 'full' ? hourMs : 2 * minuteMs },
    // The recorder as it was before chunks were bounded by events, for comparison within the run.
    { id: 'unbounded', durationMs: size === 'quick' ? 2 * minuteMs : 10 * minuteMs, busyMsPerHour: hourMs, maxChunkEvents: Number.POSITIVE_INFINITY },
  ];
}

const durationLabel = (milliseconds: number) => (milliseconds % hourMs === 0 ? `${milliseconds / hourMs} h` : `${milliseconds / minuteMs} min`);

/** "50k samples/s, 1 h" and the like, with what is special about the profile. */
function seekLabel(profile: SeekProfile): string {
  const length = durationLabel(profile.durationMs);
  const chunks = profile.maxChunkEvents === Number.POSITIVE_INFINITY ? ', 10 s chunks only (the recorder before chunks were bounded by events)' : '';
  if (profile.busyMsPerHour <= 0) return `1k samples/s, ${length}`;
  if (profile.busyMsPerHour >= hourMs) return `50k samples/s, ${length}${chunks}`;
  return `${length}: 50k samples/s in the first ${durationLabel(profile.busyMsPerHour)} of every hour, 1k/s between (seeks in the busy stretches)`;
}

/** Writes a seek recording of `seekSignals` signals with phases spread evenly, committed once per simulated second as the host does. */
function writeSeekRecording(file: string, profile: SeekProfile): { seconds: number; samples: number; diskWrites: string } {
  const { plant, plantText } = syntheticPlant(seekSignals);
  const recorder = new Recorder(file, sourceOf(plant, plantText), profile.maxChunkEvents === undefined ? {} : { maxChunkEvents: profile.maxChunkEvents });
  const random = seededRandom(seekSignals + profile.durationMs);
  const level = Float64Array.from({ length: seekSignals }, () => 50 + (random() - 0.5) * 40);
  const diskBefore = diskBytesWritten();
  const started = performance.now();
  recorder.recordConnection(0, true, startTime);
  let samples = 0;
  let nextCommit = startTime + 1000;
  for (let offset = 0; offset < profile.durationMs; ) {
    const periodMs = offset % hourMs < profile.busyMsPerHour ? busyPeriodMs : quietPeriodMs;
    for (let signal = 0; signal < seekSignals; signal++) {
      const time = startTime + offset + Math.floor((signal * periodMs) / seekSignals);
      if (time >= nextCommit) {
        recorder.commit();
        nextCommit = time - ((time - startTime) % 1000) + 1000;
      }
      level[signal] = Math.min(95, Math.max(5, level[signal]! + (random() - 0.5) * 2));
      recorder.recordSample(signal, Math.round(level[signal]! * 1000) / 1000, time);
      samples++;
    }
    offset += periodMs;
  }
  recorder.close();
  return { seconds: (performance.now() - started) / 1000, samples, diskWrites: diskWritesPerSample(diskBefore, samples) };
}

/** A random moment of the recording; in one with busy stretches, a moment inside one of them. */
function seekMoment(random: () => number, start: number, end: number, profile: SeekProfile): number {
  if (profile.busyMsPerHour <= 0 || profile.busyMsPerHour >= hourMs) return start + Math.floor(random() * (end - start));
  const hour = Math.floor(random() * Math.ceil((end - start) / hourMs));
  return Math.min(end, start + hour * hourMs + Math.floor(random() * profile.busyMsPerHour));
}

/** How a recording's events fell into chunks. */
function chunkCounts(file: string): { chunks: number; largest: number } {
  const database = new DatabaseSync(file, { readOnly: true });
  const row = database.prepare('SELECT COUNT(*) AS chunks, MAX(events) AS largest FROM (SELECT SUM(event_count) AS events FROM chunk_parts GROUP BY chunk_start)').get() as { chunks: number; largest: number | null };
  database.close();
  return { chunks: row.chunks, largest: row.largest ?? 0 };
}

/** What was measured on one seek recording. */
export interface SeekResult {
  profile: SeekProfile;
  label: string;
  samples: number;
  bytes: number;
  chunks: number;
  largestChunk: number;
  writeSeconds: number;
  diskWrites: string;
  openMs: number;
  seek: { p50: number; p95: number; max: number };
  series: { p95: number; points: number; resolution: number };
  /**
   * A view's seek as the replay worker answers it (`ReplaySession.seek`: state, frame bytes, alarms),
   * with what the kernel did for each (`kernelMs`, `pageFaults`: CPU time in system calls and faults,
   * and the pages faulted in), and the forecasts read after it.
   */
  replaySeek: { p50: number; p95: number; max: number; dueShare: number; kernelMs: number; pageFaults: number };
  forecastsAfter: { p50: number; p95: number; max: number };
}

/** Latency of `stateAt` at 200 moments and of a whole-range `series` for 200 random signals, after 5 warm-up calls each. */
function measureSeeks(file: string, profile: SeekProfile): Pick<SeekResult, 'openMs' | 'seek' | 'series'> {
  const opened = performance.now();
  const reader = new RecordingReader(file);
  const openMs = performance.now() - opened;
  const { start, end } = reader.timeRange();
  const random = seededRandom(99);
  const time = () => seekMoment(random, start, end, profile);
  for (let index = 0; index < 5; index++) reader.stateAt(time());
  const seek: number[] = [];
  for (let index = 0; index < 200; index++) {
    const at = time();
    const before = performance.now();
    const state = reader.stateAt(at);
    seek.push(performance.now() - before);
    // Past the first quiet period every signal has a value; anything less means the reader did not do its work.
    if (at >= start + quietPeriodMs && state.signals.some((signal) => signal === undefined)) throw new Error(`stateAt(${at}) is missing signals`);
  }
  for (let index = 0; index < 5; index++) reader.series(index, start, end, 2000);
  const series: number[] = [];
  let resolution = 0;
  let points = 0;
  for (let index = 0; index < 200; index++) {
    const signal = Math.floor(random() * seekSignals);
    const before = performance.now();
    const result = reader.series(signal, start, end, 2000);
    series.push(performance.now() - before);
    resolution = result.resolution;
    points = result.points.length;
  }
  reader.close();
  return {
    openMs,
    seek: { p50: percentile(seek, 50), p95: percentile(seek, 95), max: Math.max(...seek) },
    series: { p95: percentile(series, 95), points, resolution },
  };
}

/**
 * A view's seek the way the replay worker answers it: `ReplaySession.seek` (the state at the moment,
 * its frame encoded as the bytes a view is sent, the alarms there), then the forecasts it left due,
 * read after the answer as the worker does when no request waits (after every fifth seek). 200
 * moments after 5 warm-up seeks.
 */
function measureReplaySeeks(file: string, profile: SeekProfile): Pick<SeekResult, 'replaySeek' | 'forecastsAfter'> {
  const { plant, plantText } = syntheticPlant(seekSignals);
  const session = new ReplaySession({ plant, hasLive: false, recordingsDirectory: dirname(file), plantText });
  try {
    session.enter(undefined, basename(file));
    session.readDueForecasts(() => false);
    const { start, end } = session.status().range;
    const random = seededRandom(98);
    const answers: number[] = [];
    const forecasts: number[] = [];
    let due = 0;
    let kernelMicros = 0;
    let pageFaults = 0;
    for (let index = 0; index < 205; index++) {
      const at = seekMoment(random, start, end, profile);
      const usage = process.resourceUsage();
      const before = performance.now();
      const update = session.seek(at);
      const answered = performance.now();
      const usageAfter = process.resourceUsage();
      if (update.frame === null) throw new Error(`the seek to ${at} sent no frame`);
      if (index < 5) continue;
      answers.push(answered - before);
      kernelMicros += usageAfter.systemCPUTime - usage.systemCPUTime;
      pageFaults += usageAfter.minorPageFault - usage.minorPageFault;
      if (session.forecastsDue) due++;
      // Reading every seek's forecasts would take minutes on the busy recordings; every fifth tells their cost.
      if (index % 5 !== 0) continue;
      const reading = performance.now();
      if (!session.readDueForecasts(() => false) && session.forecastsDue) throw new Error(`the forecasts at ${at} were not read`);
      forecasts.push(performance.now() - reading);
    }
    return {
      replaySeek: { p50: percentile(answers, 50), p95: percentile(answers, 95), max: Math.max(...answers), dueShare: due / answers.length, kernelMs: kernelMicros / 1000 / answers.length, pageFaults: pageFaults / answers.length },
      forecastsAfter: { p50: percentile(forecasts, 50), p95: percentile(forecasts, 95), max: Math.max(...forecasts) },
    };
  } finally {
    session.close();
  }
}

/** Writes one seek recording, measures it and deletes it. */
function runSeekProfile(folder: string, profile: SeekProfile): SeekResult {
  const file = join(folder, `seek-${profile.id}.twinline`);
  try {
    const written = writeSeekRecording(file, profile);
    const bytes = fileBytes(file);
    const { chunks, largest } = chunkCounts(file);
    return { profile, label: seekLabel(profile), samples: written.samples, bytes, chunks, largestChunk: largest, writeSeconds: written.seconds, diskWrites: written.diskWrites, ...measureSeeks(file, profile), ...measureReplaySeeks(file, profile) };
  } finally {
    removeRecording(file);
  }
}

/** The size asked for in TWINLINE_BENCH_RECORDING (quick, standard or full). */
export function recordingBenchSize(value = process.env.TWINLINE_BENCH_RECORDING): RecordingBenchSize {
  if (value === undefined || value === '' || value === 'standard') return 'standard';
  if (value === 'quick' || value === 'full') return value;
  throw new Error(`TWINLINE_BENCH_RECORDING=${value}: choose quick, standard or full`);
}

/** Runs every recording measurement, prints the tables and returns the main table's rows. */
export async function runRecordingBenchmark(size: RecordingBenchSize = recordingBenchSize()): Promise<RecordingRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'twinline-bench-recording-'));
  const rows: RecordingRow[] = [];
  const notes: string[] = [];
  const seeks: SeekResult[] = [];
  const started = performance.now();
  try {
    const write = measureWriteRate(folder);
    rows.push(write.row);
    notes.push(...write.notes);
    const demo = measureDemoBytes(folder);
    rows.push(demo.row);
    notes.push(...demo.notes);
    for (const profile of seekProfiles(size)) seeks.push(runSeekProfile(folder, profile));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const seekOf = (id: SeekProfile['id']) => seeks.find((result) => result.profile.id === id)!;
  const ratio = (numerator: SeekResult, denominator: SeekResult) => numerator.seek.p95 / denominator.seek.p95;
  for (const result of seeks.filter((seek) => seek.profile.id !== 'unbounded')) {
    rows.push({ measure: `Seek stateAt(T), ${result.label}`, result: `p50 ${milliseconds(result.seek.p50)}, p95 ${milliseconds(result.seek.p95)}`, target: 'p95 ≤ 50 ms', met: result.seek.p95 <= 50 });
    rows.push({ measure: `A view's seek, answered (replay worker: state, frame, alarms), ${result.label}`, result: `p50 ${milliseconds(result.replaySeek.p50)}, p95 ${milliseconds(result.replaySeek.p95)}; per seek ${result.replaySeek.kernelMs.toFixed(2)} ms in the kernel, ${Math.round(result.replaySeek.pageFaults)} page faults`, target: 'p95 ≤ 50 ms', met: result.replaySeek.p95 <= 50 });
    rows.push({ measure: `Its forecasts, read after the answer (${Math.round(result.replaySeek.dueShare * 100)} % of the seeks left them to read), ${result.label}`, result: `p50 ${milliseconds(result.forecastsAfter.p50)}, p95 ${milliseconds(result.forecastsAfter.p95)}`, target: '—', met: undefined });
  }
  for (const [rate, short, long] of [['1k', 'quiet-short', 'quiet-long'], ['50k', 'busy-short', 'busy-long']] as const) {
    const value = ratio(seekOf(long), seekOf(short));
    rows.push({ measure: `Seek p95, ${durationLabel(seekOf(long).profile.durationMs)} ÷ ${durationLabel(seekOf(short).profile.durationMs)} at ${rate} samples/s`, result: `${value.toFixed(2)}×`, target: '≤ 1.5×', met: value <= 1.5 });
  }
  rows.push({ measure: `Seek p95, 50k ÷ 1k samples/s, ${durationLabel(seekOf('busy-short').profile.durationMs)}`, result: `${ratio(seekOf('busy-short'), seekOf('quiet-short')).toFixed(2)}×`, target: '—', met: undefined });
  rows.push({
    measure: `Seek p95 at 50k samples/s, 10 s chunks only ÷ chunks also ended at ${integer(defaultMaxChunkEvents)} events (the recorder's default)`,
    result: `${ratio(seekOf('unbounded'), seekOf('busy-short')).toFixed(2)}× (${milliseconds(seekOf('unbounded').seek.p95)} against ${milliseconds(seekOf('busy-short').seek.p95)})`,
    target: '—',
    met: undefined,
  });
  notes.push(
    `Seeks: ${integer(seekSignals)} signals, each every 5 s (1k samples/s) or every 100 ms (50k samples/s), phases spread evenly, values a random walk at three decimals, committed once per simulated second as the host does. 200 moments after 5 warm-up calls; charts for 200 random signals over the whole recording. A view's seek: the same path the replay worker takes for a view (ReplaySession: the state, the frame encoded as the bytes a view is sent, the alarms), timed to its answer; then the forecasts it left due (every signal has limits, so all 5,000 are forecast over the default 10 min window), read after the answer as the worker does when no other request waits, and sent as pending meanwhile when the seek jumped out of the window last read. Files were just written, so they are in the OS page cache: a cold disk adds its read time.`,
    ...(size === 'full' ? [] : ['A whole day at 50k samples/s (4.3 billion samples, ~10 GB, ~20 min to write) runs with TWINLINE_BENCH_RECORDING=full; by default the day-long 50k samples/s file is busy for 2 min of every hour, and seeks land in those stretches.']),
    ...(size === 'quick' ? ['TWINLINE_BENCH_RECORDING=quick: 10 min and 2 h files instead of 1 h and 24 h.'] : []),
    `Whole run took ${((performance.now() - started) / 1000).toFixed(0)} s (size ${size}).`,
    machineNote(),
  );
  printTable(
    'Recording',
    [{ title: 'Measure', align: 'left' }, { title: 'Result', align: 'left' }, { title: 'Target', align: 'left' }, { title: 'Met', align: 'left' }],
    rows.map((row) => [row.measure, row.result, row.target, row.met === undefined ? '—' : row.met ? 'yes' : 'NO']),
    notes,
  );
  printSeekTable(seeks);
  return rows;
}

function printSeekTable(seeks: SeekResult[]): void {
  printTable(
    `Seek and chart, ${integer(seekSignals)} signals, by write rate and length`,
    [
      { title: 'recording', align: 'left' },
      { title: 'samples' },
      { title: 'MiB' },
      { title: 'B/sample' },
      { title: 'chunks' },
      { title: 'largest chunk (events)' },
      { title: 'written samples/s' },
      { title: 'open ms' },
      { title: 'seek p50 ms' },
      { title: 'p95 ms' },
      { title: 'max ms' },
      { title: 'chart p95 ms' },
      { title: 'chart points' },
    ],
    seeks.map((seek) => [
      seek.label,
      seek.samples,
      Math.round(seek.bytes / 1024 ** 2),
      seek.bytes / seek.samples,
      seek.chunks,
      seek.largestChunk,
      Math.round(seek.samples / seek.writeSeconds),
      seek.openMs,
      seek.seek.p50,
      seek.seek.p95,
      seek.seek.max,
      seek.series.p95,
      `${integer(seek.series.points)} at ${seek.series.resolution < minuteMs ? `${seek.series.resolution / 1000} s` : durationLabel(seek.series.resolution)}`,
    ]),
    [
      'open: opening the file with its full integrity check (PRAGMA quick_check). chart: series(signal, whole range, 2,000 points at most).',
      ...seeks.map((seek) => `Writing ${seek.label}: ${seek.writeSeconds.toFixed(1)} s through the Recorder, ${seek.diskWrites}.`),
    ],
  );
}

if (process.argv[1] === import.meta.filename) {
  await runRecordingBenchmark();
}
