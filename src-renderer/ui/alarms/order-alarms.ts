import { isUnacknowledgedState, AlarmState } from '../../../src-main/common/alarms/alarm-lifecycle.ts';
import type { AlarmRecord } from '../../../src-main/common/alarms/alarm-record.ts';
import { priorityRank } from './alarm-words.ts';

/** How the list is ordered: the operator's order (unacknowledged first, then priority, then newest), or by one column. */
export type AlarmSort = { by: 'standard' } | { by: 'time' | 'priority' | 'machine'; descending: boolean };

/** When an alarm last came in: its raise, or its last change for one never raised. */
export function alarmMoment(alarm: AlarmRecord): number {
  return alarm.raisedAt ?? alarm.changedAt;
}

function unacknowledgedFirst(first: AlarmRecord, second: AlarmRecord): number {
  return Number(isUnacknowledgedState(AlarmState[second.state])) - Number(isUnacknowledgedState(AlarmState[first.state]));
}

function byPriority(first: AlarmRecord, second: AlarmRecord): number {
  return priorityRank(second.priority) - priorityRank(first.priority);
}

function newestFirst(first: AlarmRecord, second: AlarmRecord): number {
  return alarmMoment(second) - alarmMoment(first);
}

/**
 * The alarms in the order asked for, as a new array. The standard order is ISA-18.2's: what still
 * needs an acknowledgement first, then the most urgent, then the newest. A column's order falls back
 * on the standard order for ties, and the alarm id last, so the list never shuffles rows that tie.
 */
export function orderAlarms(alarms: readonly AlarmRecord[], sort: AlarmSort, machineName: (machine: number) => string): AlarmRecord[] {
  const standard = (first: AlarmRecord, second: AlarmRecord) => unacknowledgedFirst(first, second) || byPriority(first, second) || newestFirst(first, second) || first.alarm - second.alarm;
  if (sort.by === 'standard') return [...alarms].sort(standard);
  const direction = sort.descending ? -1 : 1;
  const column =
    sort.by === 'time'
      ? (first: AlarmRecord, second: AlarmRecord) => alarmMoment(first) - alarmMoment(second)
      : sort.by === 'priority'
        ? (first: AlarmRecord, second: AlarmRecord) => priorityRank(first.priority) - priorityRank(second.priority)
        : (first: AlarmRecord, second: AlarmRecord) => machineName(first.machine).localeCompare(machineName(second.machine));
  return [...alarms].sort((first, second) => direction * column(first, second) || standard(first, second));
}
