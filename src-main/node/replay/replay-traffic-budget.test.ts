import { describe, expect, it } from 'vitest';
import { ReplayTrafficBudget } from './replay-traffic-budget.ts';

describe('ReplayTrafficBudget', () => {
  it('lets a second’s worth pass at once, then holds takers back to the rate, in the order they came', () => {
    let now = 0;
    const budget = new ReplayTrafficBudget(1000, () => now);
    expect(budget.reserve(600)).toBe(0);
    expect(budget.reserve(400)).toBe(0);
    // Over: each waits until the rate has caught up with everything taken before it and itself.
    expect(budget.reserve(500)).toBe(500);
    expect(budget.reserve(500)).toBe(1000);
    now = 1000;
    // A second later, half of the debt is paid.
    expect(budget.reserve(0)).toBe(0);
    expect(budget.reserve(100)).toBe(100);
  });

  it('saves up no more than a second’s worth, however long it was idle', () => {
    let now = 0;
    const budget = new ReplayTrafficBudget(1000, () => now);
    now = 60_000;
    expect(budget.reserve(1000)).toBe(0);
    expect(budget.reserve(1000)).toBe(1000);
  });

  it('refuses a rate that is not a positive number', () => {
    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => new ReplayTrafficBudget(rate)).toThrow(/positive rate/);
  });
});
