import { describe, expect, it } from 'vitest';
import { applySample, Health, healthStates, ruleForSignal, signalHealthAt, staleAfterMs, worstHealth, type HealthCode, type SignalRuleState } from './health.ts';
import type { Limits } from './plant-schema.ts';

const limits = (overrides: Partial<Limits> = {}): Limits => ({ lowAlarm: 10, lowWarn: 20, highWarn: 80, highAlarm: 90, deadband: 0, onDelay: 0, ...overrides });

/** Feeds samples [time ms, value] and returns the health after each. */
function run(rule: Limits, samples: Array<[number, number]>): string[] {
  const signalRule = { limits: rule, staleAfterMs: 60_000 };
  let state: SignalRuleState | undefined;
  return samples.map(([time, value]) => {
    state = applySample(state, rule, value, time);
    return healthStates[signalHealthAt(state, signalRule, time, true)];
  });
}

describe('limits', () => {
  it('maps values to ok, warn and alarm on both sides; a limit counts as crossed when reached', () => {
    expect(run(limits(), [[0, 50], [1, 80], [2, 85], [3, 90], [4, 20], [5, 15], [6, 10], [7, 5], [8, 50]])).toEqual([
      'ok', 'warn', 'warn', 'alarm', 'warn', 'warn', 'alarm', 'alarm', 'ok',
    ]);
  });

  it('treats a signal without limits as ok once it has data', () => {
    const state = applySample(undefined, undefined, 1e9, 0);
    expect(signalHealthAt(state, { limits: undefined, staleAfterMs: 5000 }, 10, true)).toBe(Health.ok);
  });
});

describe('hysteresis', () => {
  it('keeps a level until the value is a deadband back inside the limit', () => {
    expect(run(limits({ deadband: 3 }), [[0, 91], [1, 89], [2, 87.5], [3, 86.9], [4, 79], [5, 77.5], [6, 76.9]])).toEqual([
      'alarm', 'alarm', 'alarm', 'warn', 'warn', 'warn', 'ok',
    ]);
  });

  it('applies on the low side too', () => {
    expect(run(limits({ deadband: 2 }), [[0, 9], [1, 11], [2, 12.5], [3, 19], [4, 21], [5, 22.5]])).toEqual(['alarm', 'alarm', 'warn', 'warn', 'warn', 'ok']);
  });
});

describe('on-delay', () => {
  it('enters a level only once it has held for the delay, and leaves at once', () => {
    expect(run(limits({ onDelay: 2 }), [[0, 85], [1000, 85], [1999, 86], [2000, 86], [2500, 50]])).toEqual(['ok', 'ok', 'ok', 'warn', 'ok']);
  });

  it('restarts the delay when the value dips back inside', () => {
    expect(run(limits({ onDelay: 1 }), [[0, 95], [500, 50], [1000, 95], [1900, 95], [2000, 95]])).toEqual(['ok', 'ok', 'ok', 'ok', 'alarm']);
  });

  it('matures between samples: health at a later time shows the level', () => {
    const rule = limits({ onDelay: 2 });
    const state = applySample(undefined, rule, 95, 0);
    const signalRule = { limits: rule, staleAfterMs: 60_000 };
    expect(signalHealthAt(state, signalRule, 1999, true)).toBe(Health.ok);
    expect(signalHealthAt(state, signalRule, 2000, true)).toBe(Health.alarm);
  });
});

describe('staleness and connection', () => {
  it('defaults the stale timeout to 3 × period, at least 5 s', () => {
    expect(staleAfterMs({ period: 1 })).toBe(5000);
    expect(staleAfterMs({ period: 4 })).toBe(12_000);
    expect(staleAfterMs({ period: 4, staleAfter: 2 })).toBe(2000);
  });

  it('is unknown before the first sample and stale exactly at the timeout', () => {
    const rule = ruleForSignal({ period: 1, limits: limits() });
    expect(signalHealthAt(undefined, rule, 0, true)).toBe(Health.unknown);
    const state = applySample(undefined, rule.limits, 95, 1000);
    expect(signalHealthAt(state, rule, 5999, true)).toBe(Health.alarm);
    expect(signalHealthAt(state, rule, 6000, true)).toBe(Health.stale);
  });

  it('is offline whenever its broker is disconnected, whatever the value', () => {
    const rule = ruleForSignal({ period: 1, limits: limits() });
    expect(signalHealthAt(applySample(undefined, rule.limits, 50, 0), rule, 1, false)).toBe(Health.offline);
    expect(signalHealthAt(undefined, rule, 1, false)).toBe(Health.offline);
  });
});

describe('machine health', () => {
  const of = (...states: Array<keyof typeof Health>) => healthStates[worstHealth(states.map((state) => Health[state] as HealthCode))];

  it('is the worst of its signals', () => {
    expect(of('ok', 'ok')).toBe('ok');
    expect(of('ok', 'warn', 'ok')).toBe('warn');
    expect(of('warn', 'alarm')).toBe('alarm');
  });

  it('never looks healthy while any signal lacks fresh data', () => {
    expect(of('ok', 'stale')).toBe('stale');
    expect(of('ok', 'unknown')).toBe('unknown');
    expect(of('stale', 'offline')).toBe('offline');
  });

  it('lets a live alarm or warning outrank missing data', () => {
    expect(of('stale', 'alarm')).toBe('alarm');
    expect(of('offline', 'warn')).toBe('warn');
  });

  it('is unknown with no signals', () => {
    expect(of()).toBe('unknown');
  });
});
