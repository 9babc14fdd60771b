import { describe, expect, it } from 'vitest';
import { healthSnapshot } from './use-machine-health.ts';

describe('healthSnapshot', () => {
  it('keeps the snapshot while no machine changed, so the list is not rebuilt', () => {
    const snapshot = Uint8Array.of(0, 1, 2, 3);
    expect(healthSnapshot(snapshot, Uint8Array.of(0, 1, 2, 3))).toBe(snapshot);
  });

  it('takes a copy when one machine changed, which later changes to the live array do not reach', () => {
    const live = Uint8Array.of(0, 1, 2, 3);
    const snapshot = healthSnapshot(Uint8Array.of(0, 1, 2, 2), live);
    expect([...snapshot]).toEqual([0, 1, 2, 3]);
    expect(snapshot).not.toBe(live);
    live[0] = 4;
    expect(snapshot[0]).toBe(0);
  });

  it('takes a copy when the plant changed size', () => {
    expect([...healthSnapshot(Uint8Array.of(0, 1), Uint8Array.of(0, 1, 5))]).toEqual([0, 1, 5]);
  });
});
