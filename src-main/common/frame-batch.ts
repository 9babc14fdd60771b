import type { FrameBatch } from './contract.ts';

/** A frame with nothing in it yet, cut at `time`. */
export function emptyFrame(time: number, full: boolean): FrameBatch {
  return { time, full, signalIndex: [], signalValue: [], signalSampleAge: [], signalHealth: [], machineIndex: [], machineHealth: [] };
}

/** Adds one signal to a frame being cut: its index (kept only in a delta frame), value, receive time (0 when none yet) and health. */
export function appendFrameSignal(frame: FrameBatch, index: number, value: number, sampleTime: number, health: number): void {
  if (!frame.full) frame.signalIndex.push(index);
  frame.signalValue.push(value);
  frame.signalSampleAge.push(frame.time - sampleTime);
  frame.signalHealth.push(health);
}

/** Adds one machine's health to a frame being cut (its index kept only in a delta frame). */
export function appendFrameMachine(frame: FrameBatch, index: number, health: number): void {
  if (!frame.full) frame.machineIndex.push(index);
  frame.machineHealth.push(health);
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
