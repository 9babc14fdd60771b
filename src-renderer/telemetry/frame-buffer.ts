import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FrameBatch } from '../../src-main/common/contract.ts';
import { frameMachineAt, frameSampleTimeAt, frameSignalAt } from '../../src-main/common/frame-batch.ts';
import { Health } from '../../src-main/common/health.ts';

/**
 * The latest value and health of every signal and machine, in typed arrays mutated in place.
 * The scene reads it with `getState()` inside `useFrame`; `version` changes once per applied batch,
 * so slow widgets can `subscribe` and throttle without telemetry ever passing through React state.
 */
export interface FrameBufferState {
  version: number;
  values: Float64Array;
  sampleTimes: Float64Array;
  signalHealth: Uint8Array;
  machineHealth: Uint8Array;
  /** Host clock of the last batch, and the local `performance.now()` when it arrived: together they give the host's "now". */
  hostTime: number;
  receivedAt: number;
  /** How fast the shown clock runs: 1 live, the speed when replaying, 0 when paused. */
  clockRate: number;
}

/** A frame buffer store. */
export type FrameBuffer = StoreApi<FrameBufferState>;

/** Creates an empty frame buffer for a plant of the given size; everything starts unknown. */
export function createFrameBuffer(signalCount: number, machineCount: number): FrameBuffer {
  return createStore<FrameBufferState>(() => ({
    version: 0,
    values: new Float64Array(signalCount),
    sampleTimes: new Float64Array(signalCount),
    signalHealth: new Uint8Array(signalCount).fill(Health.unknown),
    machineHealth: new Uint8Array(machineCount).fill(Health.unknown),
    hostTime: 0,
    receivedAt: 0,
    clockRate: 1,
  }));
}

/** Writes one batch into the buffer in place; indices outside the plant are ignored rather than trusted. */
export function applyFrame(buffer: FrameBuffer, frame: FrameBatch, now: number): void {
  const state = buffer.getState();
  const { values, sampleTimes, signalHealth, machineHealth } = state;
  const signalCount = values.length;
  const machineCount = machineHealth.length;
  const signalValue = frame.signalValue;
  for (let position = 0; position < signalValue.length; position++) {
    const index = frameSignalAt(frame, position);
    if (index >= 0 && index < signalCount) {
      // JSON carries a bad-quality NaN or a lost source's Infinity as null: kept as NaN, never as a measured 0.
      values[index] = signalValue[position] ?? Number.NaN;
      sampleTimes[index] = frameSampleTimeAt(frame, position);
      signalHealth[index] = frame.signalHealth[position]!;
    }
  }
  const frameMachineHealth = frame.machineHealth;
  for (let position = 0; position < frameMachineHealth.length; position++) {
    const index = frameMachineAt(frame, position);
    if (index >= 0 && index < machineCount) machineHealth[index] = frameMachineHealth[position]!;
  }
  buffer.setState({ version: state.version + 1, hostTime: frame.time, receivedAt: now });
}

/** The shown moment now (the host's clock live, the replay clock when replaying), estimated from the last batch. */
export function hostNow(state: FrameBufferState, now: number): number {
  return state.hostTime === 0 ? Date.now() : state.hostTime + (now - state.receivedAt) * state.clockRate;
}

/** Whether a batch has the shape the buffer needs: parallel arrays of numbers, with index arrays only in a delta frame. */
export function isFrameBatch(value: unknown): value is FrameBatch {
  if (value === null || typeof value !== 'object') return false;
  const { time, full, signalIndex, signalValue, signalSampleAge, signalHealth, machineIndex, machineHealth } = value as Record<string, unknown>;
  if (typeof time !== 'number' || typeof full !== 'boolean') return false;
  if (!Array.isArray(signalIndex) || !Array.isArray(signalValue) || !Array.isArray(signalSampleAge) || !Array.isArray(signalHealth)) return false;
  if (!Array.isArray(machineIndex) || !Array.isArray(machineHealth)) return false;
  const sameLength = (length: number, ...arrays: unknown[][]) => arrays.every((array) => array.length === length);
  // A full frame's positions are its indices, so it names none; a delta frame names the index at each position.
  if (full) return signalIndex.length === 0 && machineIndex.length === 0 && sameLength(signalValue.length, signalSampleAge, signalHealth);
  return sameLength(signalIndex.length, signalValue, signalSampleAge, signalHealth) && sameLength(machineIndex.length, machineHealth);
}
