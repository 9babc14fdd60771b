import { describe, expect, it } from 'vitest';
import { until } from './until.ts';

describe('until', () => {
  it('returns what the probe found once it finds something, polling in between', async () => {
    let polls = 0;
    const found = await until(() => ++polls >= 3 && { polls }, 'the third poll');
    expect(found).toEqual({ polls: 3 });
  });

  it('awaits a probe that returns a promise', async () => {
    let polls = 0;
    await expect(until(async () => ++polls === 2, 'the second poll')).resolves.toBe(true);
    expect(polls).toBe(2);
  });

  it('takes 0 and the empty string as found: only undefined and false mean not yet', async () => {
    await expect(until(() => 0, 'zero')).resolves.toBe(0);
    await expect(until(() => '', 'the empty string')).resolves.toBe('');
  });

  it('gives up after the timeout, naming what it waited for and the last state', async () => {
    const started = Date.now();
    let polls = 0;
    await expect(until(() => ++polls < 0, 'a negative count', () => ({ polls }), 120, 20)).rejects.toThrow(/^timed out after 120 ms waiting for a negative count; last state: \{"polls":\d+\}$/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(120);
    // Every 20 ms over 120 ms: a handful of polls, not a busy loop.
    expect(polls).toBeGreaterThan(2);
    expect(polls).toBeLessThan(20);
  });
});
