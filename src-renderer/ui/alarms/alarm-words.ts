import type { AlarmStateName } from '../../../src-main/common/alarms/alarm-lifecycle.ts';
import type { AlarmPriority } from '../../../src-main/common/alarms/alarm-record.ts';

/** How the list names each alarm state: short enough for a column, plain enough to read aloud. */
export const alarmStateWords: Record<AlarmStateName, string> = {
  normal: 'normal',
  activeUnacknowledged: 'unacknowledged',
  activeAcknowledged: 'acknowledged',
  returnedUnacknowledged: 'returned, unacknowledged',
  shelved: 'shelved',
  outOfService: 'out of service',
};

/** Priorities from the most urgent down, as the list's filter offers them. */
export const prioritiesMostUrgentFirst: readonly AlarmPriority[] = ['critical', 'high', 'medium', 'low'];

/** A priority's rank: 3 for critical down to 0 for low, so a higher number sorts first. */
export function priorityRank(priority: AlarmPriority): number {
  return 3 - prioritiesMostUrgentFirst.indexOf(priority);
}
