import type { Annotation } from '../../common/annotations/annotation.ts';
import { readAnnotations } from '../annotations/recorded-annotations.ts';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SignalMetadata } from '../../common/contract.ts';
import { applySample, healthStates, type SignalRuleState } from '../../common/health.ts';
import type { Limits, Plant } from '../../common/plant-schema.ts';
import { signalOrder } from '../../common/signal-order.ts';
import { redactPlant } from '../../common/redact-secrets.ts';
import { decodeEvents, decodeKeyframe, maxEventsPerBlock, ScaledByCode, type Keyframe, type RecordedEvent } from './chunk-codec.ts';
import { DamageLog, type DamagedRange } from './damage-log.ts';
import { openRecordingDatabase } from './open-recording-database.ts';
import { clampToRecordedTime, endOfRecordedTime, isRecordedTime } from './recorded-time.ts';
import { messageOf, RecordingError } from './recording-error.ts';
import { parseRollupsUntil, readRecordingMeta, recordedPlant, type ParsedPlant } from './recording-meta.ts';
import { readRecordedSignalMetadata } from './recorded-signal-metadata.ts';
import { RecordedAlarmReader, type RecordedAlarmEvent, type RecordedAlarms } from './recorded-alarms.ts';
import { recordedRangeQuery, rollupResolutions } from './recording-schema.ts';
import { combineRollups, decodeMinuteRollup, maxMinuteRollupBytes, type RollupPoint } from './rollup-codec.ts';

import type { EventSlice, RecordedHealthEvent, RecordedHistory, RecordedState } from './recorded-history.ts';
import type { EventColumns } from './event-buffer.ts';

export type { RecordedState } from './recorded-history.ts';
export type { RollupPoint } from './rollup-codec.ts';
export type { DamagedRange } from './damage-log.ts';
export { RecordingError } from './recording-error.ts';

/** How a recording is opened. */
export interface RecordingReaderOptions {
  /** Check every page first (default): for files from elsewhere. The host skips it for the file it writes. */
  verify?: boolean;
  /** Where damage found while reading is kept; a sequence passes one per file so it outlives the reader. */
  damage?: DamageLog;
  /** A plant parsed already (`parsedPlant` of a reader of the same plant): taken as it is when the file embeds the same text. */
  parsedPlant?: ParsedPlant;
}

// Compressed blocks are never much larger than what they inflate to (zstd adds a few bytes per 128 KiB):
// a row whose blob is larger than this allows is refused before its bytes are read.
const compressedBound = (bytes: number) => bytes + (bytes >> 7) + 1024;
// Unpacked event bytes the largest block may take (see chunk-codec).
const maxEventBlockBytes = 24 + maxEventsPerBlock * 22;
// A model file larger than this is not loaded: the view shows its placeholder box instead.
const maxModelBytes = 256 * 1024 * 1024;
const hourMs = rollupResolutions[2];
const minuteMs = 60_000;
const lastHealthCode = healthStates.length - 1;
/** Most machine health changes one read returns (about 60 MB held): a month of a busy plant fits, a forged flood of rows is refused. */
export const maxHealthEventsPerRead = 1_000_000;
// Rollup rows read per query: a day of minutes takes two.
const rowsPerPage = 1024;

type Statement =
  | 'chunkAtOrBefore'
  | 'chunkStartAtOrBefore'
  | 'keyframe'
  | 'nextChunk'
  | 'parts'
  | 'minutes'
  | 'nextRecentMinute'
  | 'recentMinute'
  | 'hours'
  | 'rollupsUntil'
  | 'range'
  | 'healthEvents'
  | 'model'
  | 'chunksBetween';

/** One event block's row, as stored: every column is checked before it is trusted. */
interface PartRow {
  id: number;
  end_time: unknown;
  event_count: unknown;
  events: unknown;
}

/** A chunk's state while its events are applied. */
interface ChunkState {
  signals: Array<SignalRuleState | undefined>;
  connected: boolean[];
}

/**
 * Reads a recording: its plant, its time range, the state at any moment, a signal's history. The file
 * is untrusted input: the schema and meta are checked when it is opened (a file whose essentials are
 * bad is refused with a RecordingError), and every block is checked as it is read. A damaged block
 * costs only its stretch: the reader skips it, records it (`damagedRanges`) and reads on. Every loop is
 * bounded by rows read, never by times or counts the file states.
 */
export class RecordingReader implements RecordedHistory {
  readonly file: string;
  readonly name: string;
  readonly plant: Plant;
  readonly plantText: string;
  readonly signalKeys: string[];
  readonly brokerIds: string[];
  /** The plant this file embeds as parsed (not redacted), for readers of the files that follow. */
  readonly parsedPlant: ParsedPlant;
  private readonly database: DatabaseSync;
  private readonly limits: Array<Limits | undefined>;
  private readonly chunkMs: number;
  private readonly damage: DamageLog;
  private readonly maxKeyframeBytes: number;
  private readonly statements: Record<Statement, StatementSync>;
  private readonly alarmReader: RecordedAlarmReader;

  /** Opens a recording; throws a RecordingError naming the file when it is not a readable one. */
  constructor(file: string, { verify = true, damage = new DamageLog(), parsedPlant }: RecordingReaderOptions = {}) {
    this.file = file;
    this.name = file;
    this.damage = damage;
    this.database = openRecordingDatabase(file, { verify });
    try {
      const meta = readRecordingMeta(this.database, file);
      const { plant, signalKeys, brokerIds } = recordedPlant(meta, file, parsedPlant);
      this.parsedPlant = { plantText: meta.plantText, plantFileName: meta.plantFileName, plant };
      this.plantText = meta.plantText;
      this.plant = redactPlant(plant);
      this.signalKeys = signalKeys;
      this.brokerIds = brokerIds;
      this.chunkMs = meta.chunkMs;
      // A keyframe takes at most 24 bytes, 33 per signal and one per broker (see chunk-codec).
      this.maxKeyframeBytes = compressedBound(24 + signalKeys.length * 33 + brokerIds.length);
      this.limits = signalOrder(plant).signals.map((signal) => signal.limits);
      this.statements = {
        chunkAtOrBefore: this.database.prepare(
          'SELECT start_time, CASE WHEN length(keyframe) <= ? THEN keyframe END AS keyframe FROM chunks WHERE start_time BETWEEN 0 AND ? ORDER BY start_time DESC LIMIT 1',
        ),
        // A chunk starts where a keyframe or an event block says one does: events whose keyframe row was lost still replay.
        chunkStartAtOrBefore: this.database.prepare(
          'SELECT max(coalesce((SELECT start_time FROM chunks WHERE start_time BETWEEN 0 AND ?1 ORDER BY start_time DESC LIMIT 1), -1), ' +
            'coalesce((SELECT chunk_start FROM chunk_parts WHERE chunk_start BETWEEN 0 AND ?1 ORDER BY chunk_start DESC LIMIT 1), -1)) AS start',
        ),
        keyframe: this.database.prepare('SELECT CASE WHEN length(keyframe) <= ? THEN keyframe END AS keyframe FROM chunks WHERE start_time = ?'),
        nextChunk: this.database.prepare(
          'SELECT min(coalesce((SELECT start_time FROM chunks WHERE start_time > ?1 ORDER BY start_time LIMIT 1), ?2), ' +
            'coalesce((SELECT chunk_start FROM chunk_parts WHERE chunk_start > ?1 ORDER BY chunk_start LIMIT 1), ?2)) AS start',
        ),
        parts: this.database.prepare('SELECT id, end_time, event_count, CASE WHEN length(events) <= ? THEN events END AS events FROM chunk_parts WHERE chunk_start = ? ORDER BY id'),
        minutes: this.database.prepare(
          'SELECT minute, CASE WHEN length(buckets) <= ? THEN buckets END AS buckets FROM rollups_minute WHERE signal = ? AND minute BETWEEN ? AND ? ORDER BY minute LIMIT ?',
        ),
        nextRecentMinute: this.database.prepare('SELECT minute FROM rollups_recent WHERE minute BETWEEN ? AND ? ORDER BY minute LIMIT 1'),
        recentMinute: this.database.prepare('SELECT CASE WHEN length(buckets) <= ? THEN buckets END AS buckets FROM rollups_recent WHERE minute = ? AND signal = ?'),
        hours: this.database.prepare('SELECT hour, first, last, min, max, count FROM rollups_hour WHERE signal = ? AND hour BETWEEN ? AND ? ORDER BY hour LIMIT ?'),
        rollupsUntil: this.database.prepare("SELECT CASE WHEN typeof(value) = 'text' AND octet_length(value) <= 32 THEN value ELSE '?' END AS value FROM meta WHERE key = 'rollupsUntil'"),
        range: this.database.prepare(recordedRangeQuery),
        // Rows that name no machine of the plant or no health state are damage; they never reach the timeline's arrays.
        healthEvents: this.database.prepare(
          `SELECT time, machine, health FROM health_events WHERE time BETWEEN ? AND ? AND typeof(machine) = 'integer' AND machine BETWEEN 0 AND ? AND typeof(health) = 'integer' AND health BETWEEN 0 AND ? ORDER BY time LIMIT ${maxHealthEventsPerRead + 1}`,
        ),
        model: this.database.prepare('SELECT CASE WHEN length(bytes) <= ? THEN bytes END AS bytes FROM models WHERE file = ?'),
        chunksBetween: this.database.prepare(
          'SELECT start_time AS start FROM chunks WHERE start_time BETWEEN ?1 AND ?2 UNION SELECT chunk_start FROM chunk_parts WHERE chunk_start BETWEEN ?1 AND ?2 ORDER BY 1',
        ),
      };
      this.alarmReader = new RecordedAlarmReader(this.database, signalOrder(plant).machineOf);
    } catch (error) {
      this.database.close();
      if (error instanceof RecordingError) throw error;
      throw new RecordingError(file, messageOf(error));
    }
  }

  /** First and last recorded moments (ms since the epoch); equal when the recording is empty. */
  timeRange(): { start: number; end: number } {
    const row = this.read(() => this.statements.range.get(endOfRecordedTime, this.chunkMs)) as { start: number | null; end: number | null } | undefined;
    const start = row?.start ?? 0;
    return { start, end: Math.max(start, row?.end ?? start) };
  }

  /**
   * The state at `time`: the keyframe of the chunk that holds it, plus that chunk's events up to and
   * including `time`. Cost depends on the chunk length, not on the recording's length or age. In a
   * damaged stretch it is what could be read: the state up to the damage, or no state at all. With
   * `reuse` (a state no longer needed), its arrays and objects may be overwritten to make this one.
   */
  stateAt(time: number, reuse?: RecordedState): RecordedState {
    const start = time >= 0 ? this.chunkStartAtOrBefore(time) : undefined;
    if (start === undefined) return { time, ...this.emptyState() };
    const keyframe = this.read(() => this.statements.keyframe.get(this.maxKeyframeBytes, start)) as { keyframe: unknown } | undefined;
    const state = this.keyframeState(start, keyframe?.keyframe, reuse) ?? this.emptyState();
    this.applyChunk(start, state, time);
    return { time, signals: state.signals, connected: state.connected };
  }

  /** Every event from `from` to `to` inclusive, in order (for export and incremental playback), skipping damaged blocks. */
  *eventsBetween(from: number, to: number): Generator<RecordedEvent> {
    for (const { events, first, end } of this.eventSlicesBetween(from, to)) {
      for (let index = first; index < end; index++) yield { time: events.times[index]!, code: events.codes[index]!, value: events.values[index]! };
    }
  }

  /** The same events a decoded block at a time, with nothing allocated per event (seeks and playback read tens of thousands). */
  *eventSlicesBetween(from: number, to: number): Generator<EventSlice> {
    if (!(to >= from)) return;
    const first = this.chunkStartAtOrBefore(from) ?? clampToRecordedTime(from);
    // In order and once each, whatever a damaged index returns: events then come out in time order.
    const starts = [...new Set((this.read(() => this.statements.chunksBetween.all(first, clampToRecordedTime(to))) as Array<{ start: number }>).map((row) => row.start))].sort((a, b) => a - b);
    for (const [index, start] of starts.entries()) {
      for (const part of this.chunkParts(start, undefined, starts[index + 1])) {
        if (part.end < from) continue;
        const { events } = part;
        // Times only grow within a block: the slice is where they enter and leave the range.
        let begin = 0;
        while (begin < events.length && events.times[begin]! < from) begin++;
        let end = begin;
        while (end < events.length && events.times[end]! <= to) end++;
        if (end > begin) yield { events, first: begin, end };
        if (end < events.length) return;
      }
    }
  }

  /** Applies one event to a state, with the same rules live used; an event of no signal or broker of the plant changes nothing. */
  apply(code: number, value: number, time: number, signals: Array<SignalRuleState | undefined>, connected: boolean[]): void {
    if (code >= 0) {
      if (code < this.limits.length) signals[code] = applySample(signals[code], this.limits[code], value, time);
    } else if (-1 - code < connected.length) {
      connected[-1 - code] = value === 1;
    }
  }

  /**
   * One signal's history for a chart: buckets at the finest resolution that gives at most
   * `maxPoints` over the range, so a day costs what an hour does. Finished minutes and hours come
   * from the signal's own rollup rows; the stretch not yet rolled up (the minute being recorded, or
   * what a crash left) from the events themselves, so the answer is exact either way.
   */
  series(signal: number, from: number, to: number, maxPoints = 2000): { resolution: number; points: RollupPoint[] } {
    const resolution = chartResolution(from, to, maxPoints);
    return { resolution, points: this.seriesAt(signal, from, to, resolution) };
  }

  /** `series` at a resolution of `rollupResolutions`. */
  seriesAt(signal: number, from: number, to: number, resolution: number): RollupPoint[] {
    if (!(rollupResolutions as readonly number[]).includes(resolution)) throw new RangeError(`a chart's resolution is one of ${rollupResolutions.join(', ')} ms, not ${resolution}`);
    if (!(Number.isInteger(signal) && signal >= 0 && signal < this.signalKeys.length) || !(to >= from)) return [];
    // One snapshot for every read below: a writer in another process may move rows between tables meanwhile.
    this.read(() => this.database.exec('BEGIN'));
    try {
      return this.readSeries(signal, clampToRecordedTime(from), clampToRecordedTime(to), resolution);
    } finally {
      this.read(() => this.database.exec('COMMIT'));
    }
  }

  private readSeries(signal: number, from: number, end: number, resolution: number): RollupPoint[] {
    const firstBucket = Math.floor(from / resolution) * resolution;
    // Every bucket the range touches, whole: the last one to its end.
    const to = (Math.floor(end / resolution) + 1) * resolution - 1;
    const until = this.rollupsUntil();
    const points: RollupPoint[] = [];
    const add = (point: RollupPoint) => appendRollup(points, point, resolution);
    let minutesFrom = firstBucket;
    if (resolution === hourMs) {
      let lastHour: number | undefined;
      for (const row of this.hourRows(signal, firstBucket / hourMs, Math.floor(to / hourMs))) {
        const point = hourPoint(row);
        if (!point) {
          this.damaged(`hour:${signal}:${String(row.hour)}`, Number(row.hour) * hourMs, (Number(row.hour) + 1) * hourMs - 1, `the chart rows of ${this.signalKeys[signal]} for this hour are damaged`);
          continue;
        }
        add(point);
        lastHour = point.time / hourMs;
      }
      // The hour in progress has no row yet: its finished minutes stand in for it.
      if (lastHour !== undefined) minutesFrom = (lastHour + 1) * hourMs;
    }
    const lastMinute = Math.min(Math.floor(to / minuteMs), Math.ceil(until / minuteMs) - 1);
    for (const { minute, buckets } of this.minuteRows(signal, Math.floor(minutesFrom / minuteMs), lastMinute)) {
      let decoded: RollupPoint[];
      try {
        decoded = decodeMinuteRollup(buckets as Uint8Array, minute * minuteMs);
      } catch (error) {
        this.damaged(`minute:${signal}:${minute}`, minute * minuteMs, (minute + 1) * minuteMs - 1, `the chart rows of ${this.signalKeys[signal]} for this minute are damaged (${messageOf(error)})`);
        continue;
      }
      for (const point of decoded) if (point.time >= firstBucket && point.time <= to) add(point);
    }
    if (to >= until) {
      for (const event of this.eventsBetween(Math.max(until, firstBucket), to)) {
        // Charts leave out bad-quality and lost-source samples, as the rollups do.
        if (event.code === signal && Number.isFinite(event.value)) add({ time: event.time, first: event.value, last: event.value, min: event.value, max: event.value, count: 1 });
      }
    }
    return points;
  }

  /**
   * A signal's minute rows from `first` to `last` (minute numbers): settled ones, then those of the
   * hour in progress. rollups_recent is ordered by time, so a point lookup per minute reads this
   * signal's rows and no other's; the minutes looked up are those that have rows, found by seeking
   * from one to the next, so the work follows the rows present and never the span of minute numbers.
   */
  private *minuteRows(signal: number, first: number, last: number): Generator<{ minute: number; buckets: unknown }> {
    if (!(last >= first)) return;
    // A page of rows at a time: fewer crossings into SQLite than a row at a time, and never more than a page held.
    for (let from = first; from <= last; ) {
      const page = this.read(() => this.statements.minutes.all(maxMinuteRollupBytes, signal, from, last, rowsPerPage)) as Array<{ minute: number; buckets: unknown }>;
      yield* page;
      if (page.length < rowsPerPage) break;
      from = page[page.length - 1]!.minute + 1;
    }
    let from = first;
    for (;;) {
      const next = this.read(() => this.statements.nextRecentMinute.get(from, last)) as { minute: unknown } | undefined;
      if (!next || typeof next.minute !== 'number' || !Number.isSafeInteger(next.minute)) return;
      const row = this.read(() => this.statements.recentMinute.get(maxMinuteRollupBytes, next.minute as number, signal)) as { buckets: unknown } | undefined;
      if (row) yield { minute: next.minute, buckets: row.buckets };
      from = next.minute + 1;
    }
  }

  /** A signal's hour rows from `first` to `last` (hour numbers), a page at a time. */
  private *hourRows(signal: number, first: number, last: number): Generator<Record<string, unknown>> {
    for (let from = first; from <= last; ) {
      const page = this.read(() => this.statements.hours.all(signal, from, last, rowsPerPage));
      yield* page;
      const lastHour = page[page.length - 1]?.hour;
      if (page.length < rowsPerPage || typeof lastHour !== 'number') break;
      from = lastHour + 1;
    }
  }

  /** How far rollups hold every sample; read at each chart, as the writer moves it on. */
  private rollupsUntil(): number {
    const row = this.read(() => this.statements.rollupsUntil.get()) as { value: string } | undefined;
    return parseRollupsUntil(row?.value, this.file);
  }

  /** Machine health changes between two times; rows naming no machine of the plant or no health are left out. */
  healthEvents(from: number, to: number): RecordedHealthEvent[] {
    if (!(to >= from)) return [];
    const rows = this.read(() => this.statements.healthEvents.all(clampToRecordedTime(from), clampToRecordedTime(to), this.plant.machines.length - 1, lastHealthCode));
    // Bounded by rows, not by the times the file holds: a range with more changes than a read may hold is refused, never half-read.
    if (rows.length > maxHealthEventsPerRead) throw new RecordingError(this.file, `more than ${maxHealthEventsPerRead.toLocaleString('en')} machine health changes between ${from} and ${to}; choose a shorter range`);
    return rows.map((row) => ({ time: Number(row.time), machine: Number(row.machine), health: Number(row.health) }));
  }

  /** The alarms as live views had them at `time` (none in a file written before alarms were recorded). */
  alarmsAt(time: number): RecordedAlarms {
    return this.read(() => this.alarmReader.at(time));
  }

  /** Applies the alarm rows of `time` or earlier that reached this file after it started (see RecordedAlarmReader.applyLateRows). */
  applyLateAlarmRows(alarms: RecordedAlarms, time: number): void {
    this.read(() => this.alarmReader.applyLateRows(alarms, time));
  }

  /** Alarm events (raise, acknowledge, shelve, return to normal …) from `from` to `to`, in order. */
  alarmEvents(from: number, to: number): RecordedAlarmEvent[] {
    if (!(to >= from)) return [];
    return this.read(() => this.alarmReader.eventsBetween(from, to));
  }

  /** Annotations pinned from `from` to `to`, in time order (none in a file written before they were recorded). */
  annotations(from: number, to: number): Annotation[] {
    return this.read(() => readAnnotations(this.database, from, to, this.plant.machines.length));
  }

  /**
   * The damaged stretches found so far that overlap `from`–`to`, in time order. Blocks are checked as
   * they are read, so a stretch is known once replay, an export or a chart has passed through it.
   */
  damagedRanges(from: number, to: number): DamagedRange[] {
    return this.damage.between(from, to);
  }

  /** What the sources said about the signals (units, engineering ranges) as last recorded; empty when the file says nothing usable. */
  signalMetadata(): SignalMetadata[] {
    return readRecordedSignalMetadata(this.database, this.signalKeys.length);
  }

  /** An embedded model file, or undefined (also when it is not binary or implausibly large). */
  model(file: string): Uint8Array | undefined {
    const row = this.read(() => this.statements.model.get(maxModelBytes, file)) as { bytes: unknown } | undefined;
    return row?.bytes instanceof Uint8Array ? row.bytes : undefined;
  }

  /** Closes the file. */
  close(): void {
    this.database.close();
  }

  /** The start of the chunk holding `time`, or undefined before the first. */
  chunkStartAtOrBefore(time: number): number | undefined {
    const row = this.read(() => this.statements.chunkStartAtOrBefore.get(clampToRecordedTime(time))) as { start: number } | undefined;
    return row && row.start >= 0 ? row.start : undefined;
  }

  private emptyState(): ChunkState {
    return { signals: new Array(this.signalKeys.length).fill(undefined), connected: this.brokerIds.map(() => false) };
  }

  /**
   * The state at a chunk's start, from its keyframe. When the keyframe is damaged, the chunk before
   * (its keyframe and every event) gives the same state; when that fails too, the chunk's stretch is
   * recorded as damaged and undefined returned: replay starts it from nothing known.
   */
  private keyframeState(start: number, keyframe: unknown, reuse?: ChunkState): ChunkState | undefined {
    let problem: string;
    try {
      return this.decodeKeyframe(keyframe, reuse);
    } catch (error) {
      problem = messageOf(error);
    }
    const previous = start > 0 ? (this.read(() => this.statements.chunkAtOrBefore.get(this.maxKeyframeBytes, start - 1)) as { start_time: number; keyframe: unknown } | undefined) : undefined;
    if (previous) {
      try {
        const state = this.decodeKeyframe(previous.keyframe, reuse);
        if (this.applyChunk(previous.start_time, state, Number.POSITIVE_INFINITY)) return state;
      } catch (error) {
        problem += `; the chunk before cannot stand in (${messageOf(error)})`;
      }
    }
    this.damaged(`keyframe:${start}`, start, this.chunkEnd(start), `the state at this chunk's start is damaged (${problem})`);
    return undefined;
  }

  private decodeKeyframe(keyframe: unknown, into?: ChunkState): Keyframe {
    if (!(keyframe instanceof Uint8Array)) throw new Error('the keyframe is missing or larger than the recording allows');
    return decodeKeyframe(keyframe, { signals: this.signalKeys.length, brokers: this.brokerIds.length }, into);
  }

  /** Applies a chunk's events up to and including `time` to `state`; false when a damaged block cut it short. */
  private applyChunk(start: number, state: ChunkState, time: number): boolean {
    let whole = true;
    for (const part of this.chunkParts(start, () => (whole = false))) {
      const { times, codes, values, length } = part.events;
      for (let index = 0; index < length; index++) {
        if (times[index]! > time) return whole;
        this.apply(codes[index]!, values[index]!, times[index]!, state.signals, state.connected);
      }
      if (part.end > time) break;
    }
    return whole;
  }

  /**
   * A chunk's event blocks in order, each checked against its row and the recording. At the first
   * block that cannot be read, the rest of the chunk is recorded as damaged and skipped: later blocks
   * store values as steps from earlier ones, so nothing after a damaged block can be trusted.
   */
  private *chunkParts(start: number, onDamage?: () => void, nextStart = this.nextChunkStart(start)): Generator<{ end: number; events: EventColumns }> {
    // Every event of a chunk comes before the next chunk starts, and within its own chunk length.
    const limit = Math.min(start + this.chunkMs, nextStart);
    const rows = this.read(() => this.statements.parts.iterate(compressedBound(maxEventBlockBytes), start)) as Iterator<PartRow>;
    let readUntil = start;
    let previousId: number | undefined;
    // Values are stored as steps from the code's value in an earlier block of the same chunk.
    const previousScaled = new ScaledByCode(this.signalKeys.length, this.brokerIds.length);
    try {
      for (;;) {
        let end: number;
        let events: EventColumns;
        try {
          const next = rows.next();
          if (next.done) return;
          // A chunk's blocks are written one after another, so their ids follow on: a gap is a lost block, after which values (stored as steps) are unknown.
          if (previousId !== undefined && next.value.id !== previousId + 1) throw new BlockError(`event block ${previousId + 1} of this chunk is missing`);
          previousId = next.value.id;
          // Each block starts where the one before ended, or later.
          ({ end, events } = this.decodePart(Math.max(start, readUntil), limit, next.value, previousScaled));
        } catch (error) {
          if (!isDamage(error)) throw new RecordingError(this.file, messageOf(error));
          onDamage?.();
          this.damaged(`events:${start}`, readUntil, this.chunkEnd(start), `the recorded events here are damaged (${messageOf(error)})`);
          return;
        }
        readUntil = end;
        yield { end, events };
      }
    } finally {
      // A reader that stops early (an export's end, a seek's moment) releases the statement for the next one.
      rows.return?.();
    }
  }

  /** Decodes one block whose events must lie from `from` (its chunk's start, or where the block before ended) to before `limit`. */
  private decodePart(from: number, limit: number, row: PartRow, previousScaled: ScaledByCode): { end: number; events: EventColumns } {
    const end = row.end_time;
    const count = row.event_count;
    if (typeof end !== 'number' || !(end >= from && end < limit)) throw new BlockError(`an event block ends at ${String(end)}, outside its chunk`);
    if (typeof count !== 'number' || !(Number.isSafeInteger(count) && count >= 0 && count <= maxEventsPerBlock)) throw new BlockError(`an event block claims ${String(count)} events`);
    if (!(row.events instanceof Uint8Array)) throw new BlockError('an event block is missing or larger than its row allows');
    const events = decodeEvents(row.events, previousScaled, { count, from, end, signals: this.signalKeys.length, brokers: this.brokerIds.length });
    return { end, events };
  }


  /** Where the chunk after the one starting at `start` starts: a keyframe's or an event block's chunk, or the end of recorded time. */
  private nextChunkStart(start: number): number {
    const next = this.read(() => this.statements.nextChunk.get(start, endOfRecordedTime)) as { start: number } | undefined;
    return next?.start ?? endOfRecordedTime;
  }

  /** The last moment of the chunk starting at `start`: just before the next one, or the recording's end. */
  private chunkEnd(start: number): number {
    const next = this.nextChunkStart(start);
    return next < endOfRecordedTime ? next - 1 : Math.max(start, this.timeRange().end);
  }


  private damaged(key: string, start: number, end: number, reason: string): void {
    this.damage.add(key, { start, end: Math.max(start, end), reason });
  }

  /** Runs a query; an SQLite failure becomes a RecordingError naming the file. */
  private read<T>(query: () => T): T {
    try {
      return query();
    } catch (error) {
      if (error instanceof RecordingError) throw error;
      throw new RecordingError(this.file, `it cannot be read (${messageOf(error)})`);
    }
  }
}

/** An event block that does not agree with its row. */
class BlockError extends Error {}

/**
 * Whether an error means damaged data rather than a failing reader: anything the block checks and
 * decoders throw, a value too large for a number, and SQLite's corrupt, I/O and not-a-database errors.
 */
function isDamage(error: unknown): boolean {
  if (error instanceof RecordingError) return false;
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  if (code === 'ERR_SQLITE_ERROR') return typeof errcode === 'number' && [10, 11, 26].includes(errcode & 0xff);
  return true;
}

/** An hour row as a point, or undefined when a column is not what the layout stores. */
function hourPoint(row: Record<string, unknown>): RollupPoint | undefined {
  const { hour, first, last, min, max, count } = row;
  if (typeof hour !== 'number' || !isRecordedTime(hour * hourMs)) return undefined;
  if (typeof first !== 'number' || typeof last !== 'number' || typeof min !== 'number' || typeof max !== 'number') return undefined;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) return undefined;
  return { time: hour * hourMs, first, last, min, max, count };
}

/** The finest chart resolution that gives at most `maxPoints` buckets from `from` to `to`. */
export function chartResolution(from: number, to: number, maxPoints: number): number {
  const span = Math.max(1, to - from);
  return rollupResolutions.find((candidate) => span / candidate <= maxPoints) ?? rollupResolutions[rollupResolutions.length - 1]!;
}

/** Adds `point` to a time-ordered series at `resolution`, folding it into the last bucket when it falls there. */
export function appendRollup(points: RollupPoint[], point: RollupPoint, resolution: number): void {
  const time = Math.floor(point.time / resolution) * resolution;
  const last = points[points.length - 1];
  if (last && last.time === time) points[points.length - 1] = combineRollups(last, point);
  else points.push({ ...point, time });
}
