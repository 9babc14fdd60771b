import type { AlarmRecord } from '../../../src-main/common/alarms/alarm-record.ts';

/** Priorities loud enough to sound for when they come in. */
const loudPriorities = new Set<AlarmRecord['priority']>(['high', 'critical']);

/** An alarm occurrence: the alarm and the moment it was raised, so a raise after a return counts anew. */
function occurrence(alarm: AlarmRecord): string {
  return `${alarm.alarm}@${alarm.raisedAt ?? 'never'}`;
}

/** Occurrences already annunciated: what the next snapshot is compared with. */
export type HeardAlarms = ReadonlySet<string>;

/** The high and critical alarms annunciated unacknowledged in a snapshot, as occurrences. */
export function loudOccurrences(alarms: readonly AlarmRecord[]): HeardAlarms {
  return new Set(alarms.filter((alarm) => alarm.state === 'activeUnacknowledged' && loudPriorities.has(alarm.priority)).map(occurrence));
}

/**
 * Whether a snapshot brings a new high or critical alarm: one annunciated unacknowledged that was not
 * in `heard` (an acknowledgement, a shelf or a repeated snapshot sounds nothing).
 */
export function bringsLoudAlarm(heard: HeardAlarms, alarms: readonly AlarmRecord[]): boolean {
  for (const key of loudOccurrences(alarms)) if (!heard.has(key)) return true;
  return false;
}
