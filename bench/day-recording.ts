import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parsePlantOrThrow } from '../src-main/common/parse-plant.ts';
import { plantBrokers } from '../src-main/common/resolve-brokers.ts';
import { seededRandom } from '../src-main/common/seeded-random.ts';
import { Recorder } from '../src-main/node/recording/recorder.ts';
import { recordingExtension } from '../src-main/node/recording/recording-manager.ts';
import { forkTracked } from './brokers.ts';

/** What to write: a plant as its file reads, and how long and how densely to record it. */
export interface DayRecordingPlan {
  directory: string;
  plantText: string;
  plantFileName: string;
  /** The last moment recorded (ms since the epoch). */
  end: number;
  durationMs: number;
  /** Every signal is sampled once per period, the signals' phases spread evenly over it. */
  signalPeriodMs: number;
  /** Simulated time between commits. */
  commitEveryMs: number;
  /** The recorder's chunk length (its default when undefined). */
  chunkMs?: number;
}

/** A recording written by `writeDayRecording`. */
export interface DayRecording {
  file: string;
  /** Its file name, as a view picks it from the recordings list. */
  name: string;
  start: number;
  end: number;
  samples: number;
  signalKeys: string[];
  seconds: number;
}

/**
 * Writes a recording of the plant as the host would have made it over `durationMs` before `end`:
 * the same plant text, signal order and broker ids, so it belongs to the same plant's recordings,
 * named as the host names its files so that it sorts with them. Values are random walks at three decimals.
 */
export function writeDayRecording(plan: DayRecordingPlan): DayRecording {
  const plant = parsePlantOrThrow(plan.plantText, plan.plantFileName);
  const signalKeys = plant.machines.flatMap((machine) => machine.signals.map((signal) => `${machine.id}/${signal.id}`));
  const start = plan.end - plan.durationMs;
  const stamp = new Date(start).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
  const name = `twinline-${stamp}${recordingExtension}`;
  const file = join(plan.directory, name);
  const started = performance.now();
  const recorder = new Recorder(
    file,
    { plant, plantText: plan.plantText, plantFileName: plan.plantFileName, models: new Map(), signalKeys, brokerIds: plantBrokers(plant).map((broker) => broker.id) },
    plan.chunkMs === undefined ? { createdAt: start } : { createdAt: start, chunkMs: plan.chunkMs },
  );
  const random = seededRandom(plan.durationMs);
  const level = Float64Array.from({ length: signalKeys.length }, () => 50 + (random() - 0.5) * 40);
  recorder.recordConnection(0, true, start);
  let samples = 0;
  let last = start;
  let nextCommit = start + plan.commitEveryMs;
  for (let offset = 0; offset < plan.durationMs; offset += plan.signalPeriodMs) {
    for (let signal = 0; signal < signalKeys.length; signal++) {
      const time = start + offset + Math.floor((signal * plan.signalPeriodMs) / signalKeys.length);
      if (time >= nextCommit) {
        recorder.commit();
        nextCommit += plan.commitEveryMs;
      }
      level[signal] = Math.min(95, Math.max(5, level[signal]! + (random() - 0.5) * 2));
      recorder.recordSample(signal, Math.round(level[signal]! * 1000) / 1000, time);
      samples++;
      last = time;
    }
  }
  recorder.close();
  return { file, name, start, end: last, samples, signalKeys, seconds: (performance.now() - started) / 1000 };
}

/**
 * `writeDayRecording` in a child process, so that the writer's garbage (hundreds of MB for a day of
 * 10,000 signals) stays there. In the isolation benchmark's own process, which is also its live view,
 * collecting it paused the live view for up to 290 ms in the middle of a measured phase.
 */
export function writeDayRecordingInChild(plan: DayRecordingPlan): Promise<DayRecording> {
  const child = forkTracked(import.meta.filename, [], ['--disable-warning=ExperimentalWarning']);
  return new Promise((resolve, reject) => {
    child.once('message', (message) => {
      const { recording, error } = message as { recording?: DayRecording; error?: string };
      if (recording) resolve(recording);
      else reject(new Error(`the day recording could not be written: ${error ?? 'no reason given'}`));
    });
    // Once the answer came, a later exit changes nothing.
    child.once('exit', (code, signal) => reject(new Error(`the day recording's writer ended (${code ?? signal}) before it answered`)));
    child.once('error', reject);
    child.send(plan);
  });
}

if (process.argv[1] === import.meta.filename && process.send) {
  process.once('message', (plan) => {
    let answer: { recording?: DayRecording; error?: string };
    try {
      answer = { recording: writeDayRecording(plan as DayRecordingPlan) };
    } catch (error) {
      answer = { error: error instanceof Error ? error.message : String(error) };
    }
    process.send!(answer, () => process.exit(answer.recording ? 0 : 1));
  });
}
