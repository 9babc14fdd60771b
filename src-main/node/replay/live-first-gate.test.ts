import { afterEach, describe, expect, it } from 'vitest';
import { startLiveFirstGate, waitForLive, type LiveFirstGate } from './live-first-gate.ts';

let gate: LiveFirstGate | undefined;
afterEach(() => gate?.stop());

/** Keeps this thread busy, as a burst of ingest would. */
function block(milliseconds: number): void {
  const until = performance.now() + milliseconds;
  while (performance.now() < until);
}

describe('the live-first gate', () => {
  it('holds replay once the loop runs late, and lets it go once the loop keeps time again', async () => {
    gate = startLiveFirstGate();
    await new Promise((resolve) => setTimeout(resolve, 50));
    block(40);
    await expect.poll(() => gate!.behind, { timeout: 2000, interval: 1 }).toBe(true);
    expect(gate.holds).toBeGreaterThanOrEqual(1);
    await expect.poll(() => gate!.behind, { timeout: 5000, interval: 10 }).toBe(false);
  });

  it('bounds a hold: a replay step waits at most the longest hold, and not at all while live keeps up', () => {
    const shared = new Int32Array(new SharedArrayBuffer(4));
    expect(waitForLive(shared, 200)).toBe(0);
    Atomics.store(shared, 0, 1);
    const waited = waitForLive(shared, 200);
    expect(waited).toBeGreaterThanOrEqual(195);
    expect(waited).toBeLessThan(2000);
  });
});
