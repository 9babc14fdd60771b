import { describe, expect, it } from 'vitest';
import type { FrameBatch } from '../../src-main/common/contract.ts';
import { Health } from '../../src-main/common/health.ts';
import { applyFrame, createFrameBuffer, hostNow, isFrameBatch } from './frame-buffer.ts';

const frame = (overrides: Partial<FrameBatch>): FrameBatch => ({
  time: 1000,
  full: false,
  signalIndex: [],
  signalValue: [],
  signalSampleAge: [],
  signalHealth: [],
  machineIndex: [],
  machineHealth: [],
  ...overrides,
});

describe('frame buffer', () => {
  it('starts with everything unknown', () => {
    const buffer = createFrameBuffer(3, 2);
    expect([...buffer.getState().signalHealth]).toEqual([Health.unknown, Health.unknown, Health.unknown]);
    expect([...buffer.getState().machineHealth]).toEqual([Health.unknown, Health.unknown]);
  });

  it('applies a batch in place, bumping the version once, and leaves other entries alone', () => {
    const buffer = createFrameBuffer(3, 2);
    const values = buffer.getState().values;
    applyFrame(buffer, frame({ signalIndex: [1], signalValue: [42], signalSampleAge: [10], signalHealth: [Health.alarm], machineIndex: [0], machineHealth: [Health.alarm] }), 50);
    const state = buffer.getState();
    expect(state.values).toBe(values);
    expect(state.version).toBe(1);
    expect([...state.values]).toEqual([0, 42, 0]);
    expect([...state.sampleTimes]).toEqual([0, 990, 0]);
    expect(state.signalHealth[1]).toBe(Health.alarm);
    expect(state.machineHealth[0]).toBe(Health.alarm);
    expect(state.machineHealth[1]).toBe(Health.unknown);
  });

  it('ignores indices outside the plant instead of writing past its arrays', () => {
    const buffer = createFrameBuffer(1, 1);
    applyFrame(buffer, frame({ signalIndex: [5, -1], signalValue: [1, 2], signalSampleAge: [1, 1], signalHealth: [1, 1], machineIndex: [9], machineHealth: [3] }), 0);
    expect([...buffer.getState().values]).toEqual([0]);
    expect(buffer.getState().machineHealth[0]).toBe(Health.unknown);
  });

  it('reads a full frame by position, every signal and machine in plant order, with receive times from ages', () => {
    const buffer = createFrameBuffer(3, 2);
    applyFrame(buffer, frame({ time: 1_780_000_000_123, full: true, signalValue: [4, 5, 6], signalSampleAge: [0, 123.5, 1_780_000_000_123], signalHealth: [Health.ok, Health.warn, Health.unknown], machineHealth: [Health.warn, Health.ok] }), 0);
    const state = buffer.getState();
    expect([...state.values]).toEqual([4, 5, 6]);
    // An age of the frame's own time is a signal never heard from: receive time 0, as the buffer starts.
    expect([...state.sampleTimes]).toEqual([1_780_000_000_123, 1_779_999_999_999.5, 0]);
    expect([...state.signalHealth]).toEqual([Health.ok, Health.warn, Health.unknown]);
    expect([...state.machineHealth]).toEqual([Health.warn, Health.ok]);
  });

  it("estimates the host's clock from the last batch", () => {
    const buffer = createFrameBuffer(1, 1);
    applyFrame(buffer, frame({ time: 10_000 }), 500);
    expect(hostNow(buffer.getState(), 750)).toBe(10_250);
  });

  it('recognises well-formed batches only', () => {
    expect(isFrameBatch(frame({}))).toBe(true);
    expect(isFrameBatch(frame({ signalIndex: [1], signalValue: [] }))).toBe(false);
    expect(isFrameBatch(frame({ full: true, signalValue: [1], signalSampleAge: [0], signalHealth: [1], machineHealth: [1] }))).toBe(true);
    // A full frame's positions are its indices: one that names indices, or whose arrays disagree, is refused.
    expect(isFrameBatch(frame({ full: true, signalIndex: [0], signalValue: [1], signalSampleAge: [0], signalHealth: [1] }))).toBe(false);
    expect(isFrameBatch(frame({ full: true, machineIndex: [0], machineHealth: [1] }))).toBe(false);
    expect(isFrameBatch(frame({ full: true, signalValue: [1, 2], signalSampleAge: [0], signalHealth: [1, 1] }))).toBe(false);
    expect(isFrameBatch(frame({ signalIndex: [0], signalValue: [1], signalHealth: [1] }))).toBe(false);
    expect(isFrameBatch({ time: 'now' })).toBe(false);
    expect(isFrameBatch(null)).toBe(false);
  });
});
