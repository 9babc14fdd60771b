import type { Annotation } from '../../common/annotations/annotation.ts';
import type { ChartSeries, FrameBatch, HostMethods, PlayerState, RecordingEntry, SignalMetadata, SignalTrend, TimelineOverview } from '../../common/contract.ts';
import type { MessagePort } from 'node:worker_threads';
import type { Plant } from '../../common/plant-schema.ts';
import type { YieldLevel } from '../thread-priority.ts';
import type { ReplaySessionOptions, ReplayUpdate, ReplayStatus } from './replay-session.ts';

/**
 * What a replay worker is started with; null for one that only describes a recording. `liveFirst` is
 * the flag the host sets while its loop is behind (`live-first-gate.ts`): the worker then holds back.
 * `port`: where it talks, when not to the thread that started it (in the replay process, a launcher
 * thread starts it and it talks to the process's main thread). `yieldLevel`: how far a worker beside
 * live lowers itself (its replay process's level; by default the idle class).
 */
export type ReplayWorkerData =
  | (ReplaySessionOptions & {
      liveFirst?: Int32Array;
      port?: MessagePort;
      yieldLevel?: YieldLevel;
      /** How long the cursor rests after a jump before its forecasts are read (default `forecastRestMs`). */
      forecastRestMs?: number;
    })
  | null;

/**
 * How long a view's cursor must rest after a jump before the forecasts at its moment are read. A drag
 * across the timeline asks for a new moment up to every 50 ms, and each moment's forecasts read a
 * ten-minute window (up to a second of CPU in a dense recording): read for every moment passed, they
 * were three quarters of a seek's cost, all of it for moments the view had already left.
 */
export const forecastRestMs = 250;

/** A request to a replay worker, with the result each one answers. */
export interface ReplayMethods {
  status: { params: Record<string, never>; result: ReplayStatus };
  enter: { params: { time?: number; recording?: string }; result: ReplayUpdate };
  leave: { params: Record<string, never>; result: ReplayStatus };
  seek: { params: { time: number }; result: ReplayUpdate };
  step: { params: { milliseconds: number }; result: ReplayUpdate };
  play: { params: Record<string, never>; result: ReplayUpdate };
  pause: { params: Record<string, never>; result: ReplayUpdate };
  speed: { params: { speed: number }; result: ReplayUpdate };
  loop: { params: { range: PlayerState['loop'] }; result: ReplayUpdate };
  snapshot: { params: Record<string, never>; result: FrameBatch };
  encodedSnapshot: { params: Record<string, never>; result: Uint8Array };
  timeline: { params: HostMethods['getTimeline']['params']; result: TimelineOverview };
  shiftSummary: { params: HostMethods['getShiftSummary']['params']; result: HostMethods['getShiftSummary']['result'] };
  trends: { params: HostMethods['getTrends']['params']; result: SignalTrend[] };
  chart: { params: HostMethods['getChart']['params']; result: ChartSeries[] };
  alarms: { params: Record<string, never>; result: HostMethods['getAlarms']['result'] };
  recordings: { params: Record<string, never>; result: RecordingEntry[] };
  exportStart: { params: HostMethods['exportCsv']['params']; result: { chunk: string | null; rows: number } };
  journalStart: { params: HostMethods['exportAlarmJournal']['params']; result: { chunk: string | null; rows: number } };
  exportNext: { params: Record<string, never>; result: { chunk: string | null; rows: number } };
  exportCancel: { params: Record<string, never>; result: null };
  annotations: { params: HostMethods['getAnnotations']['params']; result: Annotation[] };
  saveIncident: { params: HostMethods['saveIncident']['params']; result: HostMethods['saveIncident']['result'] };
  /** What `twinline open` needs of a recording: its plant, signal order and embedded models. */
  describe: { params: { file: string }; result: RecordingDescription };
}

/** A recording's plant and models, read in a worker before it is served. */
export interface RecordingDescription {
  plant: Plant;
  plantText: string;
  signalKeys: string[];
  models: Array<{ file: string; bytes: Uint8Array }>;
  /** What the sources said about the signals (units, engineering ranges), as last recorded in the file. */
  signalMetadata: SignalMetadata[];
}

/** Name of a replay worker request. */
export type ReplayMethod = keyof ReplayMethods;

/** A message from the host's thread to its replay worker. `baseFile` is the live recording's file now. */
export interface ReplayRequestMessage {
  id: number;
  method: ReplayMethod;
  params: unknown;
  baseFile: string | undefined;
}

/** A message from a replay worker: a response, or an update pushed while playing. */
export type ReplayWorkerMessage =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; message: string }
  | { type: 'update'; update: ReplayUpdate };

/** The heap a replay thread may use; beyond it that thread, not its process, dies. */
export interface ReplayThreadLimits {
  maxOldGenerationSizeMb: number;
  maxYoungGenerationSizeMb: number;
}

/**
 * A message from the host to its replay process: start, message or stop one view's replay thread, or
 * say whether the host's loop is behind (the live-first flag, which shared memory cannot carry
 * between processes). The data of a thread started there carries no flag; the process adds its own.
 */
export type ToReplayProcess =
  | { type: 'start'; thread: number; data: ReplayWorkerData; limits: ReplayThreadLimits }
  | { type: 'request'; thread: number; message: ReplayRequestMessage }
  | { type: 'stop'; thread: number }
  | { type: 'live'; behind: boolean };

/** A message from the replay process about one of its threads: what it posted, an error, or its exit. */
export type FromReplayProcess =
  | { type: 'message'; thread: number; message: ReplayWorkerMessage }
  | { type: 'error'; thread: number; message: string }
  | { type: 'exit'; thread: number; code: number };

/** From the replay process's main thread to its launcher thread: start one replay thread (talking over `port`), or stop it. */
export type ToReplayLauncher =
  | { type: 'start'; thread: number; data: NonNullable<ReplayWorkerData>; limits: ReplayThreadLimits; port: MessagePort }
  | { type: 'stop'; thread: number };

/** From the launcher thread: one of its replay threads failed or ended. */
export type FromReplayLauncher = { type: 'error'; thread: number; message: string } | { type: 'exit'; thread: number; code: number };
