import type { AlarmEventName, AlarmStateName } from './alarm-lifecycle.ts';
import type { alarmPriorities } from '../plant-schema.ts';

/** The limits an alarm can belong to, in the order of their slot within a signal. */
export const alarmLimits = ['lowAlarm', 'lowWarn', 'highWarn', 'highAlarm'] as const;
/** The limit an alarm belongs to. */
export type AlarmLimit = (typeof alarmLimits)[number];
/** Alarm slots per signal: an alarm's id is `signal × alarmsPerSignal + the index of its limit`. */
export const alarmsPerSignal = alarmLimits.length;
/** An alarm's priority (low, medium, high, critical). */
export type AlarmPriority = (typeof alarmPriorities)[number];

/** Who did something to an alarm, and when. */
export interface OperatorStamp {
  operator: string;
  time: number;
}

/** One alarm as views see it: everything the list, the journal and a replay need, in plain data. */
export interface AlarmRecord {
  /** `signal × 4 + limit index` (lowAlarm, lowWarn, highWarn, highAlarm). */
  alarm: number;
  signal: number;
  /** Index of the signal's machine in the plant. */
  machine: number;
  limit: AlarmLimit;
  priority: AlarmPriority;
  state: AlarmStateName;
  /** Whether the signal is beyond the limit now (followed while shelved or out of service too). */
  active: boolean;
  message: string;
  /** When the condition last became active (ms since the epoch), or null if it never did. */
  raisedAt: number | null;
  /** The signal's value when the alarm was raised. */
  value: number | null;
  /** When the state last changed. */
  changedAt: number;
  /** The last acknowledgement of the alarm's current occurrence. */
  acknowledged: OperatorStamp | null;
  shelved: (OperatorStamp & { until: number; reason: string }) | null;
  outOfService: (OperatorStamp & { reason: string }) | null;
  /** Put back from the recording after a host restart and not yet confirmed by a new sample of its signal: the state may be stale. */
  restored?: true;
}

/** The plant-level flood indicator: more than 10 new alarms in 10 minutes, over when fewer than 5. */
export interface AlarmFlood {
  active: boolean;
  /** When the flood began, while it lasts. */
  since: number | null;
}

/** Every alarm that is not plainly normal (shelved and out-of-service ones included), and the flood indicator. */
export interface AlarmSnapshot {
  /** The moment the snapshot describes: the latest change live, the cursor in replay. */
  time: number;
  flood: AlarmFlood;
  /** In alarm id order. */
  alarms: AlarmRecord[];
}

/** One change of one alarm, with its cause: what the recording stores and the journal lists. */
export interface AlarmTransition {
  time: number;
  event: AlarmEventName;
  /** Who caused it; null for the process's own raise and clear, and for a shelf that ran out. */
  operator: string | null;
  reason: string | null;
  /** The alarm as the transition left it. */
  record: AlarmRecord;
}

/** The flood indicator changing. */
export interface FloodTransition {
  time: number;
  flood: AlarmFlood;
}
