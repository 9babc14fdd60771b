import type { SignalRuleState } from '../../common/health.ts';
import type { Plant } from '../../common/plant-schema.ts';
import type { RecordedEvent } from './chunk-codec.ts';
import type { DamagedRange } from './damage-log.ts';
import type { EventColumns } from './event-buffer.ts';
import type { RollupPoint } from './rollup-codec.ts';

/** Every signal's rule state and every broker's connection at one moment. */
export interface RecordedState {
  time: number;
  signals: Array<SignalRuleState | undefined>;
  connected: boolean[];
}

/** A machine's health changing, as recorded. */
export interface RecordedHealthEvent {
  time: number;
  machine: number;
  health: number;
}

/** Events `first` to `end` (exclusive) of one decoded block: those of the block inside the range asked for. */
export interface EventSlice {
  events: EventColumns;
  first: number;
  end: number;
}

/** A recorded stretch of one plant, from one file or several in a row: what replay, export and charts read. */
export interface RecordedHistory {
  readonly plant: Plant;
  readonly signalKeys: readonly string[];
  readonly brokerIds: readonly string[];
  /** What to call it in messages: the file, or the first file and how many follow. */
  readonly name: string;
  /** First and last recorded moments (ms since the epoch). */
  timeRange(): { start: number; end: number };
  /**
   * The full state at `time`. With `reuse` (a state the caller no longer needs, whose objects nothing
   * else holds), its arrays and rule-state objects may be overwritten to make it: a seek then makes
   * no object per signal. After a throw, `reuse` must not be used.
   */
  stateAt(time: number, reuse?: RecordedState): RecordedState;
  /** Where the chunk holding `time` starts (its keyframe's moment), or undefined before the first: within one chunk, moving forward reads only the events between. */
  chunkStartAtOrBefore(time: number): number | undefined;
  /** Every event from `from` to `to` inclusive, in order. */
  eventsBetween(from: number, to: number): Iterable<RecordedEvent>;
  /** The same events a decoded block at a time, with nothing allocated per event. */
  eventSlicesBetween(from: number, to: number): Iterable<EventSlice>;
  /** Applies one event to a state, with the same rules live used. */
  apply(code: number, value: number, time: number, signals: Array<SignalRuleState | undefined>, connected: boolean[]): void;
  /** Machine health changes from `from` to `to` inclusive, in order. */
  healthEvents(from: number, to: number): RecordedHealthEvent[];
  /** One signal's buckets at `resolution` over the range (every bucket the range touches, whole). */
  seriesAt(signal: number, from: number, to: number, resolution: number): RollupPoint[];
  /**
   * The stretches overlapping `from`–`to` that damage made unreadable, in time order: what replay,
   * export and charts skipped. Blocks are checked as they are read, so a stretch appears once read.
   */
  damagedRanges(from: number, to: number): DamagedRange[];
  /**
   * The stretches overlapping `from`–`to` between two files where nothing was recorded (the host was
   * not running, or nothing came after a rollover): from one file's last event to the next one's first.
   */
  pauses?(from: number, to: number): Array<{ start: number; end: number }>;
  close(): void;
}
