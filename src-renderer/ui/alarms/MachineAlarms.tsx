import { useAlarmView } from './alarm-view-store.ts';
import { alarmStateWords } from './alarm-words.ts';

/**
 * The selected machine's alarms that are not plainly normal, each with its state and priority, for the
 * inspector: what an acknowledgement or a shelf did shows on the machine too, not only in the list.
 */
export function MachineAlarms({ machine }: { machine: number }) {
  const snapshot = useAlarmView((state) => state.snapshot);
  const alarms = (snapshot?.alarms ?? []).filter((alarm) => alarm.machine === machine && alarm.state !== 'normal');
  if (alarms.length === 0) return null;
  return (
    <ul className="machine-alarms" aria-label="Alarms of this machine">
      {alarms.map((alarm) => (
        <li key={alarm.alarm} className={`alarm-priority-${alarm.priority} alarm-state-${alarm.state}`} data-machine-alarm={alarm.alarm} data-alarm-state={alarm.state}>
          <span className="machine-alarm-state">{alarmStateWords[alarm.state]}</span> <span className="machine-alarm-priority">{alarm.priority}</span> {alarm.message}
        </li>
      ))}
    </ul>
  );
}
