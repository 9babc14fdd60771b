import type { FrameBatch } from '../../common/contract.ts';
import { appendFrameMachine, appendFrameSignal, emptyFrame } from '../../common/frame-batch.ts';
import { plantHealthAt, type PlantRules } from '../../common/plant-health.ts';
import type { RecordedHistory, RecordedState } from '../recording/recorded-history.ts';

/**
 * A position in a recording and the frames that move a view there. Moving forward within a chunk
 * applies the events in between; anything else seeks from the keyframe of the chunk it lands in, so a
 * move never reads more than one chunk's events (in a recording written at 50k samples/s, a minute
 * ahead applied in order was 3 million events, most of a second). Frames carry only what changed
 * since the last one, exactly like live frames.
 */
export class ReplayCursor {
  private readonly reader: RecordedHistory;
  private readonly rules: PlantRules;
  private state: RecordedState;
  private emittedValues: Float64Array;
  private emittedSampleTimes: Float64Array;
  private emittedSignalHealth: Int16Array;
  private emittedMachineHealth: Int16Array;

  constructor(reader: RecordedHistory, rules: PlantRules, time: number) {
    this.reader = reader;
    this.rules = rules;
    this.state = reader.stateAt(time);
    const signalCount = reader.signalKeys.length;
    this.emittedValues = new Float64Array(signalCount).fill(Number.NaN);
    this.emittedSampleTimes = new Float64Array(signalCount).fill(Number.NaN);
    this.emittedSignalHealth = new Int16Array(signalCount).fill(-1);
    this.emittedMachineHealth = new Int16Array(rules.machineSignals.length).fill(-1);
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
      this.state = this.reader.stateAt(time);
    }
  }

  /** A frame of what differs from the last frame (everything, when `full`). */
  frame(full: boolean): FrameBatch {
    const time = this.state.time;
    const { signalHealth, machineHealth } = plantHealthAt(this.rules, this.state.signals, this.state.connected, time);
    const frame = emptyFrame(time, full);
    const signals = this.state.signals;
    // An index loop, not forEach: a full frame must hold every position, and forEach skips holes.
    for (let index = 0; index < signals.length; index++) {
      const signal = signals[index];
      const value = signal?.value ?? 0;
      const sampleTime = signal?.sampleTime ?? 0;
      const health = signalHealth[index]!;
      // Object.is: a bad-quality NaN equals the NaN already sent, so it is not sent again every frame.
      if (!full && Object.is(value, this.emittedValues[index]) && sampleTime === this.emittedSampleTimes[index] && health === this.emittedSignalHealth[index]) continue;
      this.emittedValues[index] = value;
      this.emittedSampleTimes[index] = sampleTime;
      this.emittedSignalHealth[index] = health;
      appendFrameSignal(frame, index, value, sampleTime, health);
    }
    for (let index = 0; index < machineHealth.length; index++) {
      const health = machineHealth[index]!;
      if (!full && health === this.emittedMachineHealth[index]) continue;
      this.emittedMachineHealth[index] = health;
      appendFrameMachine(frame, index, health);
    }
    return frame;
  }
}
