import { describe, expect, it } from 'vitest';
import type { FrameBatch } from '../../src-main/common/contract.ts';
import { Health } from '../../src-main/common/health.ts';
import { applyFrame, createFrameBuffer } from './frame-buffer.ts';
import { healthSinceOf } from './health-since.ts';

/** A frame that sets machine 0 and its signal 0 to `health` at `time`. */
const frame = (time: number, health: number): FrameBatch => ({
  time,
  full: false,
  signalIndex: [0],
  signalValue: [1],
  signalSampleAge: [0],
  signalHealth: [health],
  machineIndex: [0],
  machineHealth: [health],
});

describe('health since', () => {
  it('dates a change between two frames at the later frame, and keeps the date while the state holds', () => {
    const buffer = createFrameBuffer(1, 1);
    const tracker = healthSinceOf(buffer, () => false);
    applyFrame(buffer, frame(1000, Health.ok), 0);
    applyFrame(buffer, frame(1033, Health.alarm), 0);
    applyFrame(buffer, frame(1066, Health.alarm), 0);
    applyFrame(buffer, frame(9000, Health.alarm), 0);
    expect(tracker.machine(0)).toEqual({ since: 1033, exact: true });
    expect(tracker.signal(0)).toEqual({ since: 1033, exact: true });
    applyFrame(buffer, frame(9100, Health.ok), 0);
    expect(tracker.machine(0)).toEqual({ since: 9100, exact: true });
  });

  it('dates a state the view first sees, or sees after a seek, as "then or earlier"', () => {
    const buffer = createFrameBuffer(1, 1);
    applyFrame(buffer, frame(5000, Health.alarm), 0);
    let replaying = true;
    const tracker = healthSinceOf(buffer, () => replaying);
    expect(tracker.machine(0)).toEqual({ since: 5000, exact: false });
    // A seek back, and one far ahead while replaying: the alarm may have begun before either.
    applyFrame(buffer, frame(2000, Health.alarm), 0);
    expect(tracker.machine(0)).toEqual({ since: 2000, exact: false });
    applyFrame(buffer, frame(60_000, Health.alarm), 0);
    expect(tracker.machine(0)).toEqual({ since: 60_000, exact: false });
    // Back to live: the first live frame is not continuous with the replay either.
    replaying = false;
    applyFrame(buffer, frame(70_000, Health.warn), 0);
    expect(tracker.machine(0)).toEqual({ since: 70_000, exact: false });
    // Live stays continuous over a quiet minute: the change is dated when it came.
    applyFrame(buffer, frame(130_000, Health.ok), 0);
    expect(tracker.machine(0)).toEqual({ since: 130_000, exact: true });
  });

  it('starts one tracker per buffer, however often it is asked for', () => {
    const buffer = createFrameBuffer(1, 1);
    expect(healthSinceOf(buffer, () => false)).toBe(healthSinceOf(buffer, () => false));
  });
});
