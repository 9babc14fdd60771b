import type { AlarmStateName } from '../../../src-main/common/alarms/alarm-lifecycle.ts';
import type { AlarmPriority, AlarmRecord } from '../../../src-main/common/alarms/alarm-record.ts';

/** The list's two views: alarms that annunciate, and those an operator silenced (shelved, out of service). */
export type AlarmTab = 'active' | 'silenced';

/** Which of the list's views an alarm in this state belongs to; null for a normal one, which is not listed. */
export function tabOfState(state: AlarmStateName): AlarmTab | null {
  if (state === 'normal') return null;
  return state === 'shelved' || state === 'outOfService' ? 'silenced' : 'active';
}

/** The states each view lists, in the order its state filter offers them. */
export const statesOfTab: Record<AlarmTab, readonly AlarmStateName[]> = {
  active: ['activeUnacknowledged', 'returnedUnacknowledged', 'activeAcknowledged'],
  silenced: ['shelved', 'outOfService'],
};

/** What the list shows: one view, and optionally one state, one priority and one area (null: any). */
export interface AlarmFilter {
  tab: AlarmTab;
  state: AlarmStateName | null;
  priority: AlarmPriority | null;
  area: string | null;
}

/** The alarms the filter lets through; `areaOf` gives a machine's area (undefined for a machine the plant lacks). */
export function filterAlarms(alarms: readonly AlarmRecord[], filter: AlarmFilter, areaOf: (machine: number) => string | undefined): AlarmRecord[] {
  return alarms.filter(
    (alarm) =>
      tabOfState(alarm.state) === filter.tab &&
      (filter.state === null || alarm.state === filter.state) &&
      (filter.priority === null || alarm.priority === filter.priority) &&
      (filter.area === null || areaOf(alarm.machine) === filter.area),
  );
}
