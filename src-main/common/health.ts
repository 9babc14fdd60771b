import type { Limits, Signal } from './plant-schema.ts';

/** Health states, in the order of their numeric codes (the codes travel in frame batches). */
export const healthStates = ['unknown', 'ok', 'warn', 'alarm', 'stale', 'offline', 'bad'] as const;
/** A machine's or a signal's health. */
export type HealthState = (typeof healthStates)[number];
/** Numeric code of a health state: its index in `healthStates`. */
export type HealthCode = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** Codes by name, for readable comparisons. */
export const Health = { unknown: 0, ok: 1, warn: 2, alarm: 3, stale: 4, offline: 5, bad: 6 } as const satisfies Record<HealthState, HealthCode>;

/**
 * How bad each state is, for "a machine is the worst of its signals".
 * Anything without fresh data outranks ok, so missing data never hides behind a healthy signal;
 * a live warn or alarm outranks missing data, because it is the thing someone must act on.
 */
// A sample of bad quality (the source itself says the value is not to be trusted) ranks with missing data.
const severityByCode: readonly number[] = [1, 0, 5, 6, 2, 4, 3];

/** The worse of two health codes. */
export function worseHealth(a: HealthCode, b: HealthCode): HealthCode {
  return severityByCode[a]! >= severityByCode[b]! ? a : b;
}

/** The worst of several health codes; `unknown` when there are none. */
export function worstHealth(codes: Iterable<HealthCode>): HealthCode {
  let worst: HealthCode | undefined;
  for (const code of codes) worst = worst === undefined ? code : worseHealth(worst, code);
  return worst ?? Health.unknown;
}

/** The level a value is at with respect to its limits. */
export type Level = typeof Health.ok | typeof Health.warn | typeof Health.alarm;

/** What the rules remember of one signal; changed only by samples, so it can be rebuilt from a recording. */
export interface SignalRuleState {
  value: number;
  /** Host clock, ms since the epoch, when the sample was received. */
  sampleTime: number;
  /** Level established as of `sampleTime`. */
  level: Level;
  /** Since when the value has been continuously at or beyond a warn limit (ms), or null. */
  warnSince: number | null;
  /** Since when the value has been continuously at or beyond an alarm limit (ms), or null. */
  alarmSince: number | null;
}

/** The rule parameters of one signal, in milliseconds. */
export interface SignalRule {
  limits: Limits | undefined;
  staleAfterMs: number;
}

/** Stale timeout of a signal: `staleAfter`, else 3 × its period, at least 5 s. */
export function staleAfterMs(signal: Pick<Signal, 'period' | 'staleAfter'>): number {
  if (signal.staleAfter !== undefined) return signal.staleAfter * 1000;
  return Math.max(3 * signal.period, 5) * 1000;
}

/** Builds the rule of a signal from its plant definition. */
export function ruleForSignal(signal: Pick<Signal, 'period' | 'staleAfter' | 'limits'>): SignalRule {
  return { limits: signal.limits, staleAfterMs: staleAfterMs(signal) };
}

/** Level of a value against limits, where a limit counts as crossed when the value reaches it; `band` widens the limits' reach inward. */
function rawLevel(limits: Limits, value: number, alarmBand: number, warnBand: number): Level {
  if ((limits.highAlarm !== undefined && value >= limits.highAlarm - alarmBand) || (limits.lowAlarm !== undefined && value <= limits.lowAlarm + alarmBand)) {
    return Health.alarm;
  }
  if ((limits.highWarn !== undefined && value >= limits.highWarn - warnBand) || (limits.lowWarn !== undefined && value <= limits.lowWarn + warnBand)) {
    return Health.warn;
  }
  return Health.ok;
}

/** The level a value would take, given the level held: hysteresis keeps a held level until the value is `deadband` back inside. */
function levelWithHysteresis(limits: Limits, value: number, held: Level): Level {
  const entered = rawLevel(limits, value, 0, 0);
  if (entered >= held) return entered;
  const deadband = limits.deadband;
  const kept = rawLevel(limits, value, held === Health.alarm ? deadband : 0, deadband);
  return Math.max(entered, Math.min(held, kept)) as Level;
}

/** The level established at `time`, letting pending escalations mature once their on-delay has passed. */
export function levelAt(state: SignalRuleState, limits: Limits | undefined, time: number): Level {
  if (!limits) return Health.ok;
  const onDelayMs = limits.onDelay * 1000;
  let level: Level = Health.ok;
  if (state.warnSince !== null && (state.level >= Health.warn || time - state.warnSince >= onDelayMs)) level = Health.warn;
  if (state.alarmSince !== null && (state.level >= Health.alarm || time - state.alarmSince >= onDelayMs)) level = Health.alarm;
  return level;
}

/** Folds one sample into a signal's rule state (pure). */
export function applySample(previous: SignalRuleState | undefined, limits: Limits | undefined, value: number, time: number): SignalRuleState {
  // Bad quality (NaN) and a lost source (Infinity) carry no value to hold a level with.
  if (!limits || !Number.isFinite(value)) return { value, sampleTime: time, level: Health.ok, warnSince: null, alarmSince: null };
  const held = previous ? levelAt(previous, limits, time) : Health.ok;
  const candidate = levelWithHysteresis(limits, value, held);
  const warnSince = candidate >= Health.warn ? (previous?.warnSince ?? time) : null;
  const alarmSince = candidate >= Health.alarm ? (previous?.alarmSince ?? time) : null;
  const next: SignalRuleState = { value, sampleTime: time, level: held, warnSince, alarmSince };
  // A level the value has left is dropped at once; only escalation waits for the on-delay.
  next.level = Math.min(held, candidate) as Level;
  next.level = levelAt(next, limits, time);
  return next;
}

/**
 * Sample values that are not measurements: decoders accept finite numbers only, so these two are free
 * to stand for what a source said about its data, and travel through recordings and replay as samples.
 */
/** "The source says this value is bad": shown as bad quality, never as a number. */
export const badQualityValue = Number.NaN;
/** "The source is gone" (a Sparkplug node or device died): stale until the next sample. */
export const sourceLostValue = Number.POSITIVE_INFINITY;

/** Health of one signal at `time`: offline without its broker, unknown before its first sample, stale once silent for its timeout, bad while its latest sample is of bad quality. */
export function signalHealthAt(state: SignalRuleState | undefined, rule: SignalRule, time: number, brokerConnected: boolean): HealthCode {
  if (!brokerConnected) return Health.offline;
  if (!state) return Health.unknown;
  if (time - state.sampleTime >= rule.staleAfterMs) return Health.stale;
  if (state.value === sourceLostValue) return Health.stale;
  if (Number.isNaN(state.value)) return Health.bad;
  return levelAt(state, rule.limits, time);
}
