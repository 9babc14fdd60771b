/**
 * Recording: how fast the `Recorder` writes, how many bytes a sample of the demo plant's telemetry
 * costs on disk, and how long a reader takes to rebuild the full state at a moment (`stateAt`) and to
 * fetch one signal's chart data (`series`) in 1 h and 24 h recordings. Everything is generated with
 * synthetic timestamps, so no real time passes; files go to a temporary folder that is deleted.
 *
 * Run alone: `node bench/recording.ts`
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { parsePlantOrThrow } from '../src-main/common/parse-plant.ts';
import { operatingPoint } from '../src-main/common/operating-point.ts';
import type { Plant } from '../src-main/common/plant-schema.ts';
import { seededRandom } from '../src-main/common/seeded-random.ts';
import { Recorder, type RecordingSource } from '../src-main/node/recording/recorder.ts';
import { RecordingReader } from '../src-main/node/recording/recording-reader.ts';
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
  return `${((after - before) / samples / 1024).toFixed(1)} KiB written to disk per sample`;
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

/** How a seek recording is committed: as the host does, once per simulated second. */
type CommitPolicy = { everyMs: number };

/** A recording of `signalCount` signals, each sampled every 5 s with phases spread evenly. */
function writeSeekRecording(file: string, signalCount: number, durationMs: number, commit: CommitPolicy): { seconds: number; samples: number; diskWrites: string } {
  const { plant, plantText } = syntheticPlant(signalCount);
  const recorder = new Recorder(file, sourceOf(plant, plantText));
  const random = seededRandom(signalCount + durationMs);
  const level = Float64Array.from({ length: signalCount }, () => 50 + (random() - 0.5) * 40);
  const periodMs = 5000;
  const diskBefore = diskBytesWritten();
  const started = performance.now();
  recorder.recordConnection(0, true, startTime);
  let samples = 0;
  let nextCommit = startTime + commit.everyMs;
  for (let round = 0; round * periodMs < durationMs; round++) {
    for (let signal = 0; signal < signalCount; signal++) {
      const time = startTime + round * periodMs + Math.floor((signal * periodMs) / signalCount);
      if (time >= nextCommit) {
        recorder.commit();
        nextCommit += commit.everyMs;
      }
      level[signal] = Math.min(95, Math.max(5, level[signal]! + (random() - 0.5) * 2));
      recorder.recordSample(signal, Math.round(level[signal]! * 1000) / 1000, time);
      samples++;
    }
  }
  recorder.close();
  return { seconds: (performance.now() - started) / 1000, samples, diskWrites: diskWritesPerSample(diskBefore, samples) };
}

/** Latency of `stateAt` at 200 random moments and of a whole-range `series` for 200 random signals. */
function measureSeeks(file: string, signalCount: number): { seek: number[]; series: number[]; openMs: number; resolution: number; points: number } {
  const opened = performance.now();
  const reader = new RecordingReader(file);
  const openMs = performance.now() - opened;
  const { start, end } = reader.timeRange();
  const random = seededRandom(99);
  const time = () => start + Math.floor(random() * (end - start));
  // A few calls first, so the figures are of compiled code rather than of the first call's warm-up.
  for (let index = 0; index < 5; index++) reader.stateAt(time());
  const seek: number[] = [];
  for (let index = 0; index < 200; index++) {
    const at = time();
    const before = performance.now();
    const state = reader.stateAt(at);
    seek.push(performance.now() - before);
    // Past the first period every signal has a value; anything less means the reader did not do its work.
    if (at >= start + 5000 && state.signals.some((signal) => signal === undefined)) throw new Error(`stateAt(${at}) is missing signals`);
  }
  for (let index = 0; index < 5; index++) reader.series(index, start, end, 2000);
  const series: number[] = [];
  let resolution = 0;
  let points = 0;
  for (let index = 0; index < 200; index++) {
    const signal = Math.floor(random() * signalCount);
    const before = performance.now();
    const result = reader.series(signal, start, end, 2000);
    series.push(performance.now() - before);
    resolution = result.resolution;
    points = result.points.length;
  }
  reader.close();
  return { seek, series, openMs, resolution, points };
}

/** A seek recording on disk, described for the table. */
interface SeekRecording {
  label: string;
  signals: number;
  hours: number;
  file: string;
  samples: number;
}

/** Measures seeks and series on a recording, adds its rows and notes, deletes it, and returns its seek p95. */
function reportSeeks(recording: SeekRecording, rows: RecordingRow[], notes: string[]): number {
  const bytes = fileBytes(recording.file);
  const measured = measureSeeks(recording.file, recording.signals);
  removeRecording(recording.file);
  const described = `${recording.label} of ${integer(recording.signals)} signals every 5 s (${integer(recording.samples)} samples, ${(bytes / 1024 ** 2).toFixed(0)} MiB = ${(bytes / recording.samples).toFixed(1)} B/sample)`;
  const seek95 = percentile(measured.seek, 95);
  rows.push({
    measure: `Seek stateAt(T), ${described}`,
    result: `p50 ${milliseconds(percentile(measured.seek, 50))}, p95 ${milliseconds(seek95)}`,
    target: 'p95 ≤ 50 ms',
    met: seek95 <= 50,
  });
  const series95 = percentile(measured.series, 95);
  rows.push({
    measure: `Chart series(signal, start, end, 2000), ${recording.label} of ${integer(recording.signals)} signals → ${integer(measured.points)} points at ${measured.resolution / 1000} s`,
    result: `p50 ${milliseconds(percentile(measured.series, 50))}, p95 ${milliseconds(series95)}`,
    target: 'p95 ≤ 50 ms',
    met: series95 <= 50,
  });
  notes.push(`Opening the ${recording.label} recording of ${integer(recording.signals)} signals, with its integrity check, took ${milliseconds(measured.openMs)}.`);
  return seek95;
}

/** Runs every recording measurement, prints the table and returns its rows. */
export async function runRecordingBenchmark(): Promise<RecordingRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'twinline-bench-recording-'));
  const rows: RecordingRow[] = [];
  const notes: string[] = [];
  const started = performance.now();
  try {
    const write = measureWriteRate(folder);
    rows.push(write.row);
    notes.push(...write.notes);
    const demo = measureDemoBytes(folder);
    rows.push(demo.row);
    notes.push(...demo.notes);

    // 5,000 signals every 5 s over an hour and over a day, committed once per simulated second as the host does.
    const signals = 5000;
    const seeks: number[] = [];
    for (const hours of [1, 24]) {
      const file = join(folder, `seek-${hours}h.twinline`);
      const written = writeSeekRecording(file, signals, hours * hourMs, { everyMs: 1000 });
      notes.push(`Generating ${hours} h of ${integer(signals)} signals (${integer(written.samples)} samples) through the Recorder took ${written.seconds.toFixed(1)} s (${integer(written.samples / written.seconds)} samples/s), ${written.diskWrites}.`);
      seeks.push(reportSeeks({ label: `${hours} h`, signals, hours, file, samples: written.samples }, rows, notes));
    }
    const [hourSeek, daySeek] = seeks as [number, number];
    rows.push({
      measure: `Seek p95, 24 h ÷ 1 h (${integer(signals)} signals)`,
      result: `${(daySeek / hourSeek).toFixed(2)}×`,
      target: '≤ 1.5×',
      met: daySeek <= hourSeek * 1.5,
    });
    notes.push(
      'Seeks are at 200 random moments after 5 warm-up calls; chart series for 200 random signals over the whole recording. Files were just written, so they are in the OS page cache: a cold disk adds its read time.',
      `Whole run took ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  printTable(
    'Recording',
    [{ title: 'Measure', align: 'left' }, { title: 'Result', align: 'left' }, { title: 'Target', align: 'left' }, { title: 'Met', align: 'left' }],
    rows.map((row) => [row.measure, row.result, row.target, row.met === undefined ? '—' : row.met ? 'yes' : 'NO']),
    notes,
  );
  return rows;
}

if (process.argv[1] === import.meta.filename) {
  await runRecordingBenchmark();
}
