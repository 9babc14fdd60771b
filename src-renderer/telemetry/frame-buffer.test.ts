import { describe, expect, it } from 'vitest';
import type { FrameBatch } from '../../src-main/common/contract.ts';
import { Health } from '../../src-main/common/health.ts';
import { applyFrame, createFrameBuffer, hostNow, isFrameBatch } from './frame-buffer.ts';

const frame = (overrides: Partial<FrameBatch>): FrameBatch => ({
  time: 1000,
  full: false,
  signalIndex: [],
  signalValue: [],
  signalSampleTime: [],
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
    applyFrame(buffer, frame({ signalIndex: [1], signalValue: [42], signalSampleTime: [990], signalHealth: [Health.alarm], machineIndex: [0], machineHealth: [Health.alarm] }), 50);
    const state = buffer.getState();
    expect(state.values).toBe(values);
    expect(state.version).toBe(1);
    expect([...state.values]).toEqual([0, 42, 0]);
    expect(state.signalHealth[1]).toBe(Health.alarm);
    expect(state.machineHealth[0]).toBe(Health.alarm);
    expect(state.machineHealth[1]).toBe(Health.unknown);
  });

  it('ignores indices outside the plant instead of writing past its arrays', () => {
    const buffer = createFrameBuffer(1, 1);
    applyFrame(buffer, frame({ signalIndex: [5, -1], signalValue: [1, 2], signalSampleTime: [1, 1], signalHealth: [1, 1], machineIndex: [9], machineHealth: [3] }), 0);
    expect([...buffer.getState().values]).toEqual([0]);
    expect(buffer.getState().machineHealth[0]).toBe(Health.unknown);
  });

  it("estimates the host's clock from the last batch", () => {
    const buffer = createFrameBuffer(1, 1);
    applyFrame(buffer, frame({ time: 10_000 }), 500);
    expect(hostNow(buffer.getState(), 750)).toBe(10_250);
  });

  it('recognises well-formed batches only', () => {
    expect(isFrameBatch(frame({}))).toBe(true);
    expect(isFrameBatch(frame({ signalIndex: [1], signalValue: [] }))).toBe(false);
    expect(isFrameBatch({ time: 'now' })).toBe(false);
    expect(isFrameBatch(null)).toBe(false);
  });
});
