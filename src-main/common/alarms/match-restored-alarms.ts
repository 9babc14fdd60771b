import type { Plant } from '../plant-schema.ts';
import { signalOrder } from '../signal-order.ts';
import { alarmLimits, alarmsPerSignal, type AlarmLimit, type AlarmRecord } from './alarm-record.ts';

/** An alarm as a recording left it, named by what identifies it in any version of the plant: its signal's key and its limit's value. */
export interface StandingAlarm {
  /** `machineId/signalId` of its signal in the recorded plant. */
  key: string;
  limit: AlarmLimit;
  /** The limit's value in the recorded plant. */
  threshold: number | undefined;
  /** The alarm as recorded (ids of the recorded plant). */
  record: AlarmRecord;
}

/** The alarms to put back, by their id in this plant, and those left out with why. */
export interface RestorePlan {
  restore: Array<{ alarm: number; record: AlarmRecord }>;
  dropped: string[];
  /** Dropped alarms beyond those named in `dropped` (a plan sent between threads names only the first few). */
  droppedUnnamed?: number;
}

/** The plan with at most `named` dropped alarms named and the rest counted: its size then follows this plant's alarms, not the file's. */
export function boundedRestorePlan(plan: RestorePlan, named: number): RestorePlan {
  if (plan.dropped.length <= named) return plan;
  return { restore: plan.restore, dropped: plan.dropped.slice(0, named), droppedUnnamed: (plan.droppedUnnamed ?? 0) + plan.dropped.length - named };
}

/**
 * Matches the alarms a recording left standing with this plant's: an alarm comes back only where the
 * same machine's signal still has the same limit at the same value (a moved limit is a new alarm: an
 * acknowledgement of the old one does not cover it). Each alarm is taken once; the rest are dropped, named.
 */
export function matchRestoredAlarms(standing: readonly StandingAlarm[], plant: Plant): RestorePlan {
  const order = signalOrder(plant);
  const signalOf = new Map(order.keys.map((key, index) => [key, index]));
  const plan: RestorePlan = { restore: [], dropped: [] };
  const taken = new Set<number>();
  for (const { key, limit, threshold, record } of standing) {
    const signal = signalOf.get(key);
    const name = `${key} ${limit}`;
    if (signal === undefined) {
      plan.dropped.push(`${name}: the signal is no longer in the plant`);
      continue;
    }
    const now = order.signals[signal]!.limits?.[limit];
    if (now === undefined) {
      plan.dropped.push(`${name}: the limit is no longer defined`);
      continue;
    }
    if (now !== threshold) {
      plan.dropped.push(`${name}: the limit moved from ${threshold} to ${now}`);
      continue;
    }
    const alarm = signal * alarmsPerSignal + alarmLimits.indexOf(limit);
    if (taken.has(alarm)) continue;
    taken.add(alarm);
    plan.restore.push({ alarm, record: { ...record, alarm, signal, machine: order.machineOf[signal]! } });
  }
  return plan;
}
