import { alarmListId } from './AlarmList.tsx';
import { showAlarmList, useAlarmView } from './alarm-view-store.ts';
import { alarmCountWords, countAlarmStates } from './count-alarm-states.ts';

/**
 * The status bar's alarm counts by state ("3 unack · 1 ack · 1 shelved"), and the flood indicator while
 * the plant is in flood; a click opens or closes the alarm list.
 */
export function AlarmCounts() {
  const snapshot = useAlarmView((state) => state.snapshot);
  const open = useAlarmView((state) => state.listOpen);
  const counts = countAlarmStates(snapshot?.alarms ?? []);
  const flood = snapshot?.flood.active ?? false;
  return (
    <button
      type="button"
      className={`indicator alarm-counts${counts.unacknowledged > 0 ? ' alarm-counts-unacknowledged' : ''}`}
      aria-expanded={open}
      aria-controls={alarmListId}
      data-alarm-counts={`${counts.unacknowledged} ${counts.acknowledged} ${counts.shelved} ${counts.outOfService}`}
      title="Alarms by state: click for the alarm list"
      onClick={() => showAlarmList()}
    >
      {flood ? (
        <span className="alarm-flood" data-alarm-flood>
          FLOOD
        </span>
      ) : null}
      {alarmCountWords(counts)}
    </button>
  );
}
