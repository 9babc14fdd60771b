import type { FrameBatch } from './contract.ts';

/** A frame with nothing in it yet, cut at `time`. */
export function emptyFrame(time: number, full: boolean): FrameBatch {
  return { time, full, signalIndex: [], signalValue: [], signalSampleAge: [], signalHealth: [], machineIndex: [], machineHealth: [] };
}

/**
 * A frame cut at `time` for exactly `signals` signals and `machines` machines, its arrays made at that
 * size and filled by position (`setFrameSignal`, `setFrameMachine`): arrays grown one push at a time
 * leave about twice their size behind as garbage, which for a replay seek's frame of every signal
 * was a quarter of all it allocated.
 */
export function sizedFrame(time: number, full: boolean, signals: number, machines: number): FrameBatch {
  return {
    time,
    full,
    signalIndex: full ? [] : new Array<number>(signals),
    signalValue: new Array<number>(signals),
    signalSampleAge: new Array<number>(signals),
    signalHealth: new Array<number>(signals),
    machineIndex: full ? [] : new Array<number>(machines),
    machineHealth: new Array<number>(machines),
  };
}

/** Sets the signal at `position` of a `sizedFrame`: as `appendFrameSignal` adds one. */
export function setFrameSignal(frame: FrameBatch, position: number, index: number, value: number, sampleTime: number, health: number): void {
  if (!frame.full) frame.signalIndex[position] = index;
  frame.signalValue[position] = value;
  frame.signalSampleAge[position] = frame.time - sampleTime;
  frame.signalHealth[position] = health;
}

/** Sets the machine at `position` of a `sizedFrame`: as `appendFrameMachine` adds one. */
export function setFrameMachine(frame: FrameBatch, position: number, index: number, health: number): void {
  if (!frame.full) frame.machineIndex[position] = index;
  frame.machineHealth[position] = health;
}

/** Adds one signal to a frame being cut: its index (kept only in a delta frame), value, receive time (0 when none yet) and health. */
export function appendFrameSignal(frame: FrameBatch, index: number, value: number, sampleTime: number, health: number): void {
  setFrameSignal(frame, frame.signalValue.length, index, value, sampleTime, health);
}

/** Adds one machine's health to a frame being cut (its index kept only in a delta frame). */
export function appendFrameMachine(frame: FrameBatch, index: number, health: number): void {
  setFrameMachine(frame, frame.machineHealth.length, index, health);
}

/** The signal a frame describes at `position`: the position itself in a full frame. */
export function frameSignalAt(frame: FrameBatch, position: number): number {
  return frame.full ? position : frame.signalIndex[position]!;
}

/** The machine a frame describes at `position`: the position itself in a full frame. */
export function frameMachineAt(frame: FrameBatch, position: number): number {
  return frame.full ? position : frame.machineIndex[position]!;
}

/**
 * Receive time (ms since the epoch) of the sample at `position`; 0 when the signal has none yet, and
 * for an age that is not a number (a damaged message), which must never read as a fresh sample. Exact
 * for the times frames carry: whole milliseconds, whose differences lose nothing.
 */
export function frameSampleTimeAt(frame: FrameBatch, position: number): number {
  const age = frame.signalSampleAge[position];
  return typeof age === 'number' && Number.isFinite(age) ? frame.time - age : 0;
}
