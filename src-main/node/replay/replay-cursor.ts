import type { FrameBatch } from '../../common/contract.ts';
import { setFrameMachine, setFrameSignal, sizedFrame } from '../../common/frame-batch.ts';
import { plantHealthAt, type PlantHealth, type PlantRules } from '../../common/plant-health.ts';
import type { RecordedHistory, RecordedState } from '../recording/recorded-history.ts';

/**
 * Past this share of the signals, a frame goes out full: a full frame holds each signal's value, age
 * and health (some 16 characters of text), a delta its index as well (some 6 more), so from about 3/4
 * of the signals on the full one is the smaller.
 */
const mostSignals = 0.75;

/**
 * A position in a recording and the frames that move a view there. Moving forward within a chunk
 * applies the events in between; anything else seeks from the keyframe of the chunk it lands in, so a
 * move never reads more than one chunk's events (in a recording written at 50k samples/s, a minute
 * ahead applied in order was 3 million events, most of a second). Frames carry only what changed
 * since the last one, like live frames.
 */
export class ReplayCursor {
  private readonly reader: RecordedHistory;
  private readonly rules: PlantRules;
  private state: RecordedState;
  /**
   * The state before the last jump, overwritten by the next one: a jump then makes no object per
   * signal. Never the state in use, so a jump that fails leaves the cursor where it was.
   */
  private spare: RecordedState | undefined;
  private emittedValues: Float64Array;
  private emittedSampleTimes: Float64Array;
  private emittedSignalHealth: Int16Array;
  private emittedMachineHealth: Int16Array;
  /** The signals a delta frame being cut carries, found once (reused from frame to frame). */
  private readonly changedSignals: Int32Array;
  /** The same for machines. */
  private readonly changedMachines: Int32Array;
  /** Health at the frame being cut (reused from frame to frame). */
  private readonly health: PlantHealth = { signalHealth: [], machineHealth: [] };

  constructor(reader: RecordedHistory, rules: PlantRules, time: number) {
    this.reader = reader;
    this.rules = rules;
    this.state = reader.stateAt(time);
    const signalCount = reader.signalKeys.length;
    this.emittedValues = new Float64Array(signalCount).fill(Number.NaN);
    this.emittedSampleTimes = new Float64Array(signalCount).fill(Number.NaN);
    this.emittedSignalHealth = new Int16Array(signalCount).fill(-1);
    this.emittedMachineHealth = new Int16Array(rules.machineSignals.length).fill(-1);
    this.changedSignals = new Int32Array(signalCount);
    this.changedMachines = new Int32Array(rules.machineSignals.length);
  }

  /** The moment the cursor is at. */
  get time(): number {
    return this.state.time;
  }

  /** Broker connection flags at the cursor. */
  get connected(): readonly boolean[] {
    return this.state.connected;
  }

  /** Moves to `time`. */
  moveTo(time: number): void {
    const from = this.state.time;
    if (time >= from && this.reader.chunkStartAtOrBefore(time) === this.reader.chunkStartAtOrBefore(from)) {
      const { signals, connected } = this.state;
      for (const { events, first, end } of this.reader.eventSlicesBetween(Math.floor(from) + 1, Math.floor(time))) {
        for (let index = first; index < end; index++) this.reader.apply(events.codes[index]!, events.values[index]!, events.times[index]!, signals, connected as boolean[]);
      }
      this.state.time = time;
    } else {
      const next = this.reader.stateAt(time, this.spare);
      this.spare = this.state;
      this.state = next;
    }
  }

  /**
   * A frame of what differs from the last frame (everything, when `full`). One that would carry most
   * signals anyway (a seek far away) is cut full: with no index array it is smaller, and the view
   * replaces what it had. Cut at the whole millisecond, as live frames are: a playing cursor's time is
   * fractional, and so every sample's age would be.
   */
  frame(full: boolean): FrameBatch {
    const time = Math.floor(this.state.time);
    const { signalHealth, machineHealth } = plantHealthAt(this.rules, this.state.signals, this.state.connected, time, this.health);
    const signals = this.state.signals;
    let changed = 0;
    if (!full) for (let index = 0; index < signals.length; index++) if (this.signalChanged(index, signalHealth[index]!)) this.changedSignals[changed++] = index;
    const cutFull = full || changed > signals.length * mostSignals;
    let changedMachineCount = 0;
    for (let index = 0; index < machineHealth.length; index++) if (cutFull || machineHealth[index] !== this.emittedMachineHealth[index]) this.changedMachines[changedMachineCount++] = index;
    // By position, not forEach: a full frame must hold every signal, and forEach skips holes.
    const count = cutFull ? signals.length : changed;
    const frame = sizedFrame(time, cutFull, count, changedMachineCount);
    for (let position = 0; position < count; position++) {
      const index = cutFull ? position : this.changedSignals[position]!;
      const health = signalHealth[index]!;
      const signal = signals[index];
      const value = signal === undefined ? 0 : signal.value;
      const sampleTime = signal === undefined ? 0 : signal.sampleTime;
      this.emittedValues[index] = value;
      this.emittedSampleTimes[index] = sampleTime;
      this.emittedSignalHealth[index] = health;
      setFrameSignal(frame, position, index, value, sampleTime, health);
    }
    for (let position = 0; position < changedMachineCount; position++) {
      const index = this.changedMachines[position]!;
      const health = machineHealth[index]!;
      this.emittedMachineHealth[index] = health;
      setFrameMachine(frame, position, index, health);
    }
    return frame;
  }

  /** Whether signal `index` differs from what the last frame sent. */
  private signalChanged(index: number, health: number): boolean {
    const signal = this.state.signals[index];
    // Object.is: a bad-quality NaN equals the NaN already sent, so it is not sent again every frame.
    return !Object.is(signal?.value ?? 0, this.emittedValues[index]) || (signal?.sampleTime ?? 0) !== this.emittedSampleTimes[index] || health !== this.emittedSignalHealth[index];
  }
}
