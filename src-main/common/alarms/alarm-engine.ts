import { Health } from '../health.ts';
import type { Plant, Signal } from '../plant-schema.ts';
import { signalOrder } from '../signal-order.ts';
import { AlarmEvent, alarmEvents, alarmStates, alarmTransition, AlarmState, conditionAfter, isActiveState, maxShelveMs, refused, type AlarmEventCode, type AlarmStateCode } from './alarm-lifecycle.ts';
import { alarmLimits, alarmsPerSignal, type AlarmFlood, type AlarmLimit, type AlarmPriority, type AlarmRecord, type AlarmSnapshot, type AlarmTransition, type FloodTransition } from './alarm-record.ts';

/** Priority codes, lowest first, as the plant file names them. */
const priorityNames: readonly AlarmPriority[] = ['low', 'medium', 'high', 'critical'];
/** Priority of a limit the plant file gives none for: alarm limits high, warning limits medium. */
const defaultPriority: Record<AlarmLimit, AlarmPriority> = { lowAlarm: 'high', lowWarn: 'medium', highWarn: 'medium', highAlarm: 'high' };
const limitWords: Record<AlarmLimit, string> = { lowAlarm: 'low alarm', lowWarn: 'low warning', highWarn: 'high warning', highAlarm: 'high alarm' };
const limitSigns: Record<AlarmLimit, string> = { lowAlarm: '≤', lowWarn: '≤', highWarn: '≥', highAlarm: '≥' };

/** ISA-18.2's flood: more than `raiseAbove` new alarms within `windowMs`; over once fewer than `clearBelow`. */
export const floodRule = { windowMs: 600_000, raiseAbove: 10, clearBelow: 5 } as const;
/** Raise times kept for the flood count: more than the thresholds need, so a full ring means "many". */
const floodRingSize = 64;

/** Longest operator name and reason kept (they travel in every snapshot and recording row). */
export const maxOperatorLength = 64;
/** Longest reason kept for a shelf or an out-of-service. */
export const maxReasonLength = 200;

/** What an operator action did: the alarms it changed, and those it could not, with why. */
export interface ActionResult {
  applied: number[];
  refused: Array<{ alarm: number; reason: string }>;
}

/**
 * The alarm engine: every signal's alarm conditions, derived from the health rules' level (so
 * limits, deadband and on-delay mean exactly what they mean for health), run through the ISA-18.2
 * lifecycle with priorities, operator actions and the flood indicator. State lives in flat typed
 * arrays indexed by alarm id; evaluating a signal that changes no alarm allocates nothing. Changes are
 * collected as transitions for the caller to publish and record (`takeTransitions`).
 */
export class AlarmEngine {
  /** Number of alarm slots: four per signal, whether or not the signal has that limit. */
  readonly alarmCount: number;
  private readonly signals: Signal[];
  private readonly signalMachine: number[];
  private readonly machineNames: string[];
  /** 1 where the signal has the slot's limit. */
  private readonly defined: Uint8Array;
  private readonly priority: Uint8Array;
  private readonly state: Uint8Array;
  private readonly condition: Uint8Array;
  /** Per signal: its innermost high and low limit (NaN without one), which tell the side of a crossing. */
  private readonly highReference: Float64Array;
  private readonly lowReference: Float64Array;
  private readonly raisedAt: Float64Array;
  private readonly raisedValue: Float64Array;
  private readonly changedAt: Float64Array;
  private readonly shelvedUntil: Float64Array;
  /** Operator stamps and reasons: set only by operator actions, so plain arrays. */
  private readonly acknowledged: Array<AlarmRecord['acknowledged']>;
  private readonly shelf: Array<AlarmRecord['shelved']>;
  private readonly outOfService: Array<AlarmRecord['outOfService']>;
  /** Alarms currently shelved, for the expiry check without scanning every slot. */
  private readonly shelvedAlarms = new Set<number>();
  private readonly floodRing = new Float64Array(floodRingSize);
  private floodRingNext = 0;
  private floodRingFilled = 0;
  private floodActive = false;
  private floodSince: number | null = null;
  private transitions: AlarmTransition[] = [];
  private floodTransitions: FloodTransition[] = [];

  constructor(plant: Plant) {
    const order = signalOrder(plant);
    this.signals = order.signals;
    this.signalMachine = order.machineOf;
    this.machineNames = plant.machines.map((machine) => machine.name);
    const signalCount = order.signals.length;
    this.alarmCount = signalCount * alarmsPerSignal;
    this.defined = new Uint8Array(this.alarmCount);
    this.priority = new Uint8Array(this.alarmCount);
    this.state = new Uint8Array(this.alarmCount);
    this.condition = new Uint8Array(this.alarmCount);
    this.raisedAt = new Float64Array(this.alarmCount).fill(Number.NaN);
    this.raisedValue = new Float64Array(this.alarmCount).fill(Number.NaN);
    this.changedAt = new Float64Array(this.alarmCount);
    this.shelvedUntil = new Float64Array(this.alarmCount);
    this.acknowledged = new Array(this.alarmCount).fill(null);
    this.shelf = new Array(this.alarmCount).fill(null);
    this.outOfService = new Array(this.alarmCount).fill(null);
    this.highReference = new Float64Array(signalCount).fill(Number.NaN);
    this.lowReference = new Float64Array(signalCount).fill(Number.NaN);
    order.signals.forEach((signal, index) => {
      const limits = signal.limits;
      if (!limits) return;
      alarmLimits.forEach((limit, slot) => {
        if (limits[limit] === undefined) return;
        this.defined[index * alarmsPerSignal + slot] = 1;
        this.priority[index * alarmsPerSignal + slot] = priorityNames.indexOf(limits.priority?.[limit] ?? defaultPriority[limit]);
      });
      this.highReference[index] = limits.highWarn ?? limits.highAlarm ?? Number.NaN;
      this.lowReference[index] = limits.lowWarn ?? limits.lowAlarm ?? Number.NaN;
    });
  }

  /** Whether an alarm id names a limit the plant defines. */
  exists(alarm: number): boolean {
    return Number.isInteger(alarm) && alarm >= 0 && alarm < this.alarmCount && this.defined[alarm] === 1;
  }

  /**
   * Evaluates one signal at `time` from its health (as `common/health.ts` establishes it: limits,
   * deadband and on-delay applied) and its value, which tells the side of a crossing. Health that is
   * not a level (stale, offline, bad, unknown) leaves the conditions as they were: the data's quality
   * is shown on its own, and a lost signal neither raises nor clears an alarm.
   */
  evaluate(signal: number, health: number, value: number, time: number): void {
    if (health !== Health.ok && health !== Health.warn && health !== Health.alarm) return;
    const base = signal * alarmsPerSignal;
    if (base < 0 || base >= this.alarmCount) return;
    const high = this.highReference[signal]!;
    const low = this.lowReference[signal]!;
    // The side of the crossing: the only one there is, or the nearer half between the low and high limits.
    const highSide = Number.isNaN(low) || (!Number.isNaN(high) && value >= (high + low) / 2);
    const beyondWarn = health !== Health.ok;
    const beyondAlarm = health === Health.alarm;
    this.setCondition(base, !highSide && beyondAlarm, value, time);
    this.setCondition(base + 1, !highSide && beyondWarn, value, time);
    this.setCondition(base + 2, highSide && beyondWarn, value, time);
    this.setCondition(base + 3, highSide && beyondAlarm, value, time);
  }

  /**
   * Time passing by itself: shelves that ran out end, and the flood indicator clears once new alarms
   * have slowed below its threshold.
   */
  tick(now: number): void {
    for (const alarm of this.shelvedAlarms) {
      if (now >= this.shelvedUntil[alarm]!) this.apply(alarm, AlarmEvent.shelveExpiry, now, null, null);
    }
    this.updateFlood(now);
  }

  /** Acknowledges the given alarms; one with nothing to acknowledge is refused and named. */
  acknowledge(alarms: readonly number[], operator: string, now: number): ActionResult {
    return this.each(alarms, (alarm) => this.apply(alarm, AlarmEvent.acknowledge, now, operator, null));
  }

  /** Shelves alarms until `now + durationMs` (at most 24 h) with a reason; they come back by themselves. */
  shelve(alarms: readonly number[], durationMs: number, reason: string, operator: string, now: number): ActionResult {
    const until = now + Math.min(Math.max(durationMs, 1), maxShelveMs);
    return this.each(alarms, (alarm) => this.apply(alarm, AlarmEvent.shelve, now, operator, reason, until));
  }

  /** Ends a shelf before its time. */
  unshelve(alarms: readonly number[], operator: string, now: number): ActionResult {
    return this.each(alarms, (alarm) => this.apply(alarm, AlarmEvent.unshelve, now, operator, null));
  }

  /** Takes alarms out of service (suppressed until returned), with a reason. */
  suppress(alarms: readonly number[], reason: string, operator: string, now: number): ActionResult {
    return this.each(alarms, (alarm) => this.apply(alarm, AlarmEvent.suppress, now, operator, reason));
  }

  /** Returns alarms to service. */
  returnToService(alarms: readonly number[], operator: string, now: number): ActionResult {
    return this.each(alarms, (alarm) => this.apply(alarm, AlarmEvent.returnToService, now, operator, null));
  }

  /**
   * Puts one alarm back as a recording left it (after a host restart): its state, condition, raise,
   * acknowledgement, shelf and out-of-service stamps, with this plant's priority and message. Records no
   * transition (the caller records the restored state) and counts nothing toward the flood. Returns why
   * the record cannot be restored, or null: its state must agree with its condition and stamps.
   */
  restore(alarm: number, from: AlarmRecord, now: number): string | null {
    if (!this.exists(alarm)) return 'no such alarm';
    const state = AlarmState[from.state];
    if ((isActiveState(state) && !from.active) || ((state === AlarmState.normal || state === AlarmState.returnedUnacknowledged) && from.active)) return `an alarm that is ${from.state} cannot be ${from.active ? 'active' : 'inactive'}`;
    if (state === AlarmState.shelved && !from.shelved) return 'a shelved alarm without its shelf';
    if (state === AlarmState.outOfService && !from.outOfService) return 'an out-of-service alarm without its reason';
    this.state[alarm] = state;
    this.condition[alarm] = from.active ? 1 : 0;
    this.raisedAt[alarm] = from.raisedAt ?? Number.NaN;
    this.raisedValue[alarm] = from.value ?? Number.NaN;
    this.changedAt[alarm] = Math.min(from.changedAt, now);
    this.acknowledged[alarm] = from.acknowledged ? { ...from.acknowledged } : null;
    this.outOfService[alarm] = state === AlarmState.outOfService && from.outOfService ? { ...from.outOfService } : null;
    this.shelf[alarm] = null;
    this.shelvedAlarms.delete(alarm);
    if (state === AlarmState.shelved && from.shelved) {
      // A shelf never outlasts its rule, whatever the file says: at most 24 h from now.
      const until = Math.min(from.shelved.until, now + maxShelveMs);
      this.shelf[alarm] = { ...from.shelved, until };
      this.shelvedUntil[alarm] = until;
      this.shelvedAlarms.add(alarm);
    }
    return null;
  }

  /** The transitions since the last call, in the order they happened; the engine forgets them. */
  takeTransitions(): { alarms: AlarmTransition[]; flood: FloodTransition[] } {
    const taken = { alarms: this.transitions, flood: this.floodTransitions };
    this.transitions = [];
    this.floodTransitions = [];
    return taken;
  }

  /** Whether transitions wait to be taken. */
  get changed(): boolean {
    return this.transitions.length > 0 || this.floodTransitions.length > 0;
  }

  /** The flood indicator now. */
  flood(): AlarmFlood {
    return { active: this.floodActive, since: this.floodSince };
  }

  /** One alarm as views see it. */
  record(alarm: number): AlarmRecord {
    const signal = Math.floor(alarm / alarmsPerSignal);
    const limit = alarmLimits[alarm % alarmsPerSignal]!;
    const raisedAt = this.raisedAt[alarm]!;
    const value = this.raisedValue[alarm]!;
    return {
      alarm,
      signal,
      machine: this.signalMachine[signal]!,
      limit,
      priority: priorityNames[this.priority[alarm]!]!,
      state: alarmStates[this.state[alarm]!]!,
      active: this.condition[alarm] === 1,
      message: this.message(signal, limit, value),
      raisedAt: Number.isNaN(raisedAt) ? null : raisedAt,
      value: Number.isNaN(value) ? null : value,
      changedAt: this.changedAt[alarm]!,
      acknowledged: this.acknowledged[alarm] ?? null,
      shelved: this.shelf[alarm] ?? null,
      outOfService: this.outOfService[alarm] ?? null,
    };
  }

  /** Every alarm that is not plainly normal, and the flood indicator, at `time`. */
  snapshot(time: number): AlarmSnapshot {
    const alarms: AlarmRecord[] = [];
    for (let alarm = 0; alarm < this.alarmCount; alarm++) if (this.state[alarm] !== AlarmState.normal) alarms.push(this.record(alarm));
    return { time, flood: this.flood(), alarms };
  }

  /** Follows a condition; raises or clears the alarm when it changed. Allocation-free when nothing changes. */
  private setCondition(alarm: number, active: boolean, value: number, time: number): void {
    if (this.defined[alarm] === 0 || (this.condition[alarm] === 1) === active) return;
    if (active) this.raisedValue[alarm] = value;
    this.apply(alarm, active ? AlarmEvent.raise : AlarmEvent.clear, time, null, null);
  }

  /** Applies one lifecycle event; returns why it was refused, or null. */
  private apply(alarm: number, event: AlarmEventCode, now: number, operator: string | null, reason: string | null, until = 0): string | null {
    if (!this.exists(alarm)) return 'no such alarm';
    const before = this.state[alarm]! as AlarmStateCode;
    const active = this.condition[alarm] === 1;
    const next = alarmTransition(before, active, event, now, this.shelvedUntil[alarm]!);
    if (next === refused) return `cannot ${alarmEvents[event]} an alarm that is ${alarmStates[before]}${active ? ' (active)' : ''}`;
    this.condition[alarm] = conditionAfter(event, active) ? 1 : 0;
    if (event === AlarmEvent.raise) {
      this.raisedAt[alarm] = now;
      // A new occurrence: the last one's acknowledgement does not cover it.
      this.acknowledged[alarm] = null;
    }
    if (event === AlarmEvent.acknowledge) this.acknowledged[alarm] = { operator: operator ?? '', time: now };
    if (event === AlarmEvent.shelve) {
      this.shelvedUntil[alarm] = until;
      this.shelf[alarm] = { operator: operator ?? '', time: now, until, reason: reason ?? '' };
      this.shelvedAlarms.add(alarm);
    }
    if (before === AlarmState.shelved && next !== AlarmState.shelved) {
      this.shelf[alarm] = null;
      this.shelvedAlarms.delete(alarm);
    }
    if (event === AlarmEvent.suppress) this.outOfService[alarm] = { operator: operator ?? '', time: now, reason: reason ?? '' };
    if (event === AlarmEvent.returnToService) this.outOfService[alarm] = null;
    if (next !== before) this.changedAt[alarm] = now;
    this.state[alarm] = next;
    // Only an annunciated new alarm counts toward a flood: shelved and suppressed ones reach no operator.
    if (next === AlarmState.activeUnacknowledged && !isActiveState(before)) this.countRaise(now);
    this.transitions.push({ time: now, event: alarmEvents[event], operator, reason, record: this.record(alarm) });
    return null;
  }

  private each(alarms: readonly number[], action: (alarm: number) => string | null): ActionResult {
    const result: ActionResult = { applied: [], refused: [] };
    for (const alarm of new Set(alarms)) {
      const why = action(alarm);
      if (why === null) result.applied.push(alarm);
      else result.refused.push({ alarm, reason: why });
    }
    return result;
  }

  private countRaise(now: number): void {
    this.floodRing[this.floodRingNext] = now;
    this.floodRingNext = (this.floodRingNext + 1) % floodRingSize;
    this.floodRingFilled = Math.min(floodRingSize, this.floodRingFilled + 1);
    this.updateFlood(now);
  }

  /** New alarms within the flood window before `now` (up to the ring's size). */
  private recentRaises(now: number): number {
    let count = 0;
    for (let index = 0; index < this.floodRingFilled; index++) if (now - this.floodRing[index]! < floodRule.windowMs) count++;
    return count;
  }

  private updateFlood(now: number): void {
    const recent = this.recentRaises(now);
    if (!this.floodActive && recent > floodRule.raiseAbove) {
      this.floodActive = true;
      this.floodSince = now;
    } else if (this.floodActive && recent < floodRule.clearBelow) {
      this.floodActive = false;
      this.floodSince = null;
    } else return;
    this.floodTransitions.push({ time: now, flood: this.flood() });
  }

  private message(signal: number, limit: AlarmLimit, value: number): string {
    const definition = this.signals[signal]!;
    const unit = definition.unit ? ` ${definition.unit}` : '';
    const threshold = definition.limits?.[limit];
    const reading = Number.isNaN(value) ? '' : `: ${Number(value.toPrecision(6))}${unit}`;
    return `${this.machineNames[this.signalMachine[signal]!]} — ${definition.name ?? definition.id} ${limitWords[limit]} (${limitSigns[limit]} ${threshold}${unit})${reading}`;
  }
}
