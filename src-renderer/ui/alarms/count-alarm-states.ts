import type { AlarmRecord } from '../../../src-main/common/alarms/alarm-record.ts';

/** How many alarms are in each state an operator watches. */
export interface AlarmStateCounts {
  /** Active or returned, not yet acknowledged. */
  unacknowledged: number;
  /** Active and acknowledged. */
  acknowledged: number;
  shelved: number;
  outOfService: number;
}

/** Counts the alarms by state; normal ones count nowhere. */
export function countAlarmStates(alarms: readonly AlarmRecord[]): AlarmStateCounts {
  const counts: AlarmStateCounts = { unacknowledged: 0, acknowledged: 0, shelved: 0, outOfService: 0 };
  for (const alarm of alarms) {
    if (alarm.state === 'activeUnacknowledged' || alarm.state === 'returnedUnacknowledged') counts.unacknowledged++;
    else if (alarm.state === 'activeAcknowledged') counts.acknowledged++;
    else if (alarm.state === 'shelved') counts.shelved++;
    else if (alarm.state === 'outOfService') counts.outOfService++;
  }
  return counts;
}

/** The counts as the status bar says them, leaving out the zeros: "3 unack · 1 ack · 1 shelved"; "No alarms" when all are. */
export function alarmCountWords(counts: AlarmStateCounts): string {
  const parts = [
    counts.unacknowledged > 0 ? `${counts.unacknowledged} unack` : '',
    counts.acknowledged > 0 ? `${counts.acknowledged} ack` : '',
    counts.shelved > 0 ? `${counts.shelved} shelved` : '',
    counts.outOfService > 0 ? `${counts.outOfService} out of service` : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? 'No alarms' : parts.join(' · ');
}
