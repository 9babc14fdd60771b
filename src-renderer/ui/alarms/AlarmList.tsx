import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { AlarmStateName } from '../../../src-main/common/alarms/alarm-lifecycle.ts';
import type { AlarmPriority, AlarmRecord } from '../../../src-main/common/alarms/alarm-record.ts';
import type { PlantDescription } from '../../../src-main/common/contract.ts';
import { useClock } from '../../state/clock-setting.ts';
import { focusMachine, useViewStore } from '../../state/view-store.ts';
import { hostNow, type FrameBuffer } from '../../telemetry/frame-buffer.ts';
import { formatTimeOfDay } from '../format.ts';
import { signalName } from '../machine-triage.ts';
import { actionsOffReason, actOnAlarms, nameOperatorAndAct, usePendingAlarmAction } from './act-on-alarms.ts';
import { alarmStateWords, prioritiesMostUrgentFirst } from './alarm-words.ts';
import { chooseAlarmSound, showAlarmList, useAlarmView, visibleAlarms } from './alarm-view-store.ts';
import { elapsedWords } from './elapsed-words.ts';
import { ExportJournalButton } from './ExportJournalButton.tsx';
import { statesOfTab, type AlarmTab } from './filter-alarms.ts';
import { operatorNameProblem, useOperatorName } from './operator-name.ts';
import { alarmMoment, type AlarmSort } from './order-alarms.ts';
import { unlockAlarmTone } from './play-alarm-tone.ts';
import { useAlarmFeed } from './use-alarm-feed.ts';
import { useAlarmKeys } from './use-alarm-keys.ts';
import './alarms.css';

/** The id of the alarm list, for the controls that open it. */
export const alarmListId = 'alarm-list';

/** Durations a shelf offers, in ms: a few seconds for a test, up to a shift. */
const shelfUnits = { seconds: 1000, minutes: 60_000, hours: 3_600_000 } as const;

/** The name the app asks once, then shows with a way to change it. */
function OperatorName() {
  const name = useOperatorName((state) => state.name);
  const pending = usePendingAlarmAction((state) => state.action);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(name ?? '');
  const asking = editing || pending !== null;
  const problem = operatorNameProblem(draft);
  if (!asking) {
    return (
      <span className="alarm-operator" data-operator={name ?? ''}>
        {name === null ? 'No operator named yet' : `Operator: ${name}`}
        <button type="button" onClick={() => setEditing(true)}>
          {name === null ? 'Name…' : 'Change'}
        </button>
      </span>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problem !== null) return;
    nameOperatorAndAct(draft);
    setEditing(false);
  };
  return (
    <form className="alarm-operator alarm-operator-form" onSubmit={submit}>
      <label>
        Your name, sent with each alarm action
        <input autoFocus value={draft} maxLength={80} onChange={(event) => setDraft(event.target.value)} aria-invalid={problem !== null} />
      </label>
      <button type="submit" disabled={problem !== null} title={problem ?? undefined}>
        OK
      </button>
      <button type="button" onClick={() => (setEditing(false), usePendingAlarmAction.setState({ action: null }))}>
        Cancel
      </button>
    </form>
  );
}

/** The reason (and for a shelf, how long) an operator gives when silencing an alarm. */
function SilenceForm({ kind, alarm, onDone }: { kind: 'shelve' | 'suppress'; alarm: AlarmRecord; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('15');
  const [unit, setUnit] = useState<keyof typeof shelfUnits>('minutes');
  const durationMs = Math.round(Number(amount) * shelfUnits[unit]);
  const durationProblem = kind === 'shelve' && (!Number.isFinite(durationMs) || durationMs < 1000 || durationMs > 24 * 3_600_000) ? 'From 1 second to 24 hours' : null;
  const reasonProblem = reason.trim() === '' ? 'Give a reason' : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (durationProblem || reasonProblem) return;
    if (kind === 'shelve') actOnAlarms({ action: 'shelve', alarms: [alarm.alarm], reason: reason.trim(), durationMs });
    else actOnAlarms({ action: 'suppress', alarms: [alarm.alarm], reason: reason.trim() });
    onDone();
  };
  return (
    <form className="alarm-silence-form" onSubmit={submit} aria-label={kind === 'shelve' ? 'Shelve the alarm' : 'Take the alarm out of service'}>
      <span>{kind === 'shelve' ? 'Shelve' : 'Take out of service'}: {alarm.message}</span>
      <label>
        Reason
        <input autoFocus value={reason} maxLength={200} onChange={(event) => setReason(event.target.value)} />
      </label>
      {kind === 'shelve' ? (
        <label>
          For
          <input className="alarm-shelf-amount" type="number" min={1} value={amount} onChange={(event) => setAmount(event.target.value)} />
          <select aria-label="Unit" value={unit} onChange={(event) => setUnit(event.target.value as keyof typeof shelfUnits)}>
            {Object.keys(shelfUnits).map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <button type="submit" disabled={durationProblem !== null || reasonProblem !== null} title={durationProblem ?? reasonProblem ?? undefined}>
        {kind === 'shelve' ? 'Shelve' : 'Take out of service'}
      </button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

/** A column header that sorts by its column: first descending, then ascending, then back to the standard order. */
function SortHeader({ by, label, sort }: { by: 'time' | 'priority' | 'machine'; label: string; sort: AlarmSort }) {
  const active = sort.by === by;
  const next: AlarmSort = !active ? { by, descending: by !== 'machine' } : sort.descending === (by !== 'machine') ? { by, descending: !sort.descending } : { by: 'standard' };
  return (
    <th aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="alarm-sort" data-sort={by} onClick={() => useAlarmView.setState({ sort: next })} title={`Sort by ${label.toLowerCase()}`}>
        {label}
        {active ? (sort.descending ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
}

/** Re-renders every second while shown, so elapsed times keep counting. */
function useEverySecond(): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), 1000);
    return () => clearInterval(timer);
  }, []);
}

/**
 * The alarm list: the host's alarms, unacknowledged first, then by priority and time (or sorted by a
 * column), filtered by state, priority and area; shelved and out-of-service alarms in their own view.
 * A click selects an alarm and flies to its machine; the buttons act on the selected alarm or on all
 * visible ones, naming the operator. Always mounted, so the feed and keys run while it is closed.
 */
export function AlarmList({ description, buffer }: { description: PlantDescription; buffer: FrameBuffer }) {
  useAlarmFeed();
  useAlarmKeys(description);
  const open = useAlarmView((state) => state.listOpen);
  if (!open) return null;
  return <OpenAlarmList description={description} buffer={buffer} />;
}

function OpenAlarmList({ description, buffer }: { description: PlantDescription; buffer: FrameBuffer }) {
  useEverySecond();
  const clock = useClock();
  const snapshot = useAlarmView((state) => state.snapshot);
  const filter = useAlarmView((state) => state.filter);
  const sort = useAlarmView((state) => state.sort);
  const selectedAlarm = useAlarmView((state) => state.selectedAlarm);
  const soundOn = useAlarmView((state) => state.soundOn);
  const actionReport = useAlarmView((state) => state.actionReport);
  const mode = useViewStore((state) => state.player?.mode);
  const [silencing, setSilencing] = useState<'shelve' | 'suppress' | null>(null);
  const machines = description.plant.machines;
  const areas = useMemo(() => [...new Set(machines.map((machine) => machine.area))].sort(), [machines]);
  const shown = useMemo(() => visibleAlarms({ snapshot, filter, sort }, description), [snapshot, filter, sort, description]);
  const all = snapshot?.alarms ?? [];
  const tabCount = (tab: AlarmTab) => all.filter((alarm) => statesOfTab[tab].includes(alarm.state)).length;
  const selected = all.find((alarm) => alarm.alarm === selectedAlarm) ?? null;
  const offReason = actionsOffReason(mode);
  const now = hostNow(buffer.getState(), performance.now());
  const unacknowledgedShown = shown.filter((alarm) => alarm.state === 'activeUnacknowledged' || alarm.state === 'returnedUnacknowledged');
  const setFilter = (change: Partial<typeof filter>) => useAlarmView.setState({ filter: { ...filter, ...change } });
  const can = (state: AlarmStateName, allowed: readonly AlarmStateName[]) => offReason === null && allowed.includes(state);

  return (
    <section className="alarm-list" id={alarmListId} aria-label="Alarm list">
      <header>
        <h2>Alarms</h2>
        <div className="alarm-tabs" role="tablist">
          {(['active', 'silenced'] as const).map((tab) => (
            <button key={tab} type="button" role="tab" aria-selected={filter.tab === tab} data-alarm-tab={tab} onClick={() => setFilter({ tab, state: null })}>
              {tab === 'active' ? 'Active' : 'Shelved & out of service'} ({tabCount(tab)})
            </button>
          ))}
        </div>
        {snapshot?.flood.active ? (
          <span className="alarm-flood" data-alarm-flood>
            Alarm flood{snapshot.flood.since !== null ? ` since ${formatTimeOfDay(snapshot.flood.since, clock)}` : ''}
          </span>
        ) : null}
        <span className="spacer" />
        <ExportJournalButton />
        <OperatorName />
        <label className="alarm-sound" title="A short tone when a new high or critical alarm comes in (live only)">
          <input
            type="checkbox"
            checked={soundOn}
            onChange={(event) => {
              if (event.target.checked) unlockAlarmTone();
              chooseAlarmSound(event.target.checked);
            }}
          />
          Sound
        </label>
        <button type="button" className="close" aria-label="Close the alarm list" onClick={() => showAlarmList(false)}>
          ×
        </button>
      </header>
      <div className="alarm-toolbar">
        <select aria-label="State" value={filter.state ?? ''} onChange={(event) => setFilter({ state: (event.target.value || null) as AlarmStateName | null })}>
          <option value="">Any state</option>
          {statesOfTab[filter.tab].map((state) => (
            <option key={state} value={state}>
              {alarmStateWords[state]}
            </option>
          ))}
        </select>
        <select aria-label="Priority" value={filter.priority ?? ''} onChange={(event) => setFilter({ priority: (event.target.value || null) as AlarmPriority | null })}>
          <option value="">Any priority</option>
          {prioritiesMostUrgentFirst.map((priority) => (
            <option key={priority} value={priority}>
              {priority}
            </option>
          ))}
        </select>
        <select aria-label="Area" value={filter.area ?? ''} onChange={(event) => setFilter({ area: event.target.value || null })}>
          <option value="">Any area</option>
          {areas.map((area) => (
            <option key={area} value={area}>
              {area}
            </option>
          ))}
        </select>
        <span className="spacer" />
        <span className="alarm-actions" title={offReason ?? undefined}>
          <button type="button" disabled={!selected || !can(selected.state, ['activeUnacknowledged', 'returnedUnacknowledged'])} onClick={() => selected && actOnAlarms({ action: 'acknowledge', alarms: [selected.alarm] })} title="Acknowledge the selected alarm (A)">
            Acknowledge
          </button>
          <button type="button" disabled={offReason !== null || unacknowledgedShown.length === 0} onClick={() => actOnAlarms({ action: 'acknowledge', alarms: unacknowledgedShown.map((alarm) => alarm.alarm) })}>
            Acknowledge all visible ({unacknowledgedShown.length})
          </button>
          {selected?.state === 'shelved' ? (
            <button type="button" disabled={offReason !== null} onClick={() => actOnAlarms({ action: 'unshelve', alarms: [selected.alarm] })}>
              Unshelve
            </button>
          ) : (
            <button type="button" disabled={!selected || !can(selected.state, ['activeUnacknowledged', 'activeAcknowledged', 'returnedUnacknowledged'])} onClick={() => setSilencing('shelve')}>
              Shelve…
            </button>
          )}
          {selected?.state === 'outOfService' ? (
            <button type="button" disabled={offReason !== null} onClick={() => actOnAlarms({ action: 'returnToService', alarms: [selected.alarm] })}>
              Return to service
            </button>
          ) : (
            <button type="button" disabled={!selected || !can(selected.state, ['activeUnacknowledged', 'activeAcknowledged', 'returnedUnacknowledged', 'shelved'])} onClick={() => setSilencing('suppress')}>
              Out of service…
            </button>
          )}
        </span>
      </div>
      {offReason !== null ? (
        <p className="alarm-note" data-actions-off>
          {offReason}
        </p>
      ) : null}
      {silencing && selected ? <SilenceForm key={`${silencing}-${selected.alarm}`} kind={silencing} alarm={selected} onDone={() => setSilencing(null)} /> : null}
      {actionReport ? (
        <p className="alarm-note" role="status" data-action-report>
          {actionReport}
        </p>
      ) : null}
      <div className="alarm-table">
        <table>
          <thead>
            <tr>
              <SortHeader by="priority" label="Priority" sort={sort} />
              <th>State</th>
              <SortHeader by="machine" label="Machine" sort={sort} />
              <th>Signal</th>
              <th>Message</th>
              <SortHeader by="time" label="Time" sort={sort} />
              <th className="number">Elapsed</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((alarm) => {
              const machine = machines[alarm.machine];
              const moment = alarmMoment(alarm);
              return (
                <tr
                  key={alarm.alarm}
                  className={`alarm-row alarm-priority-${alarm.priority} alarm-state-${alarm.state}`}
                  aria-selected={alarm.alarm === selectedAlarm}
                  data-alarm-id={alarm.alarm}
                  data-alarm-state={alarm.state}
                  data-machine={machine?.id}
                  onClick={() => {
                    useAlarmView.setState({ selectedAlarm: alarm.alarm });
                    focusMachine(alarm.machine);
                  }}
                >
                  <td className="alarm-priority">{alarm.priority}</td>
                  <td className="alarm-state" title={stampWords(alarm, clock)}>
                    {alarmStateWords[alarm.state]}
                    {alarm.state === 'shelved' && alarm.shelved ? ` until ${formatTimeOfDay(alarm.shelved.until, clock)}` : ''}
                    {alarm.restored ? <span data-restored> · restored</span> : null}
                  </td>
                  <td>{machine?.name ?? `machine ${alarm.machine + 1}`}</td>
                  <td>{signalName(description, alarm.signal) ?? ''}</td>
                  <td className="alarm-message">{alarm.message}</td>
                  <td className="number">{formatTimeOfDay(moment, clock)}</td>
                  <td className="number" data-elapsed>
                    {elapsedWords(moment, now)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {shown.length === 0 ? <p className="alarm-none">{all.length === 0 ? 'No alarms.' : 'No alarm matches the filters.'}</p> : null}
      </div>
    </section>
  );
}

/** Who did what to an alarm, for its state's tooltip. */
function stampWords(alarm: AlarmRecord, clock: ReturnType<typeof useClock>): string {
  const lines: string[] = [];
  if (alarm.acknowledged) lines.push(`Acknowledged by ${alarm.acknowledged.operator} at ${formatTimeOfDay(alarm.acknowledged.time, clock)}`);
  if (alarm.shelved) lines.push(`Shelved by ${alarm.shelved.operator} until ${formatTimeOfDay(alarm.shelved.until, clock)}: ${alarm.shelved.reason}`);
  if (alarm.outOfService) lines.push(`Out of service by ${alarm.outOfService.operator}: ${alarm.outOfService.reason}`);
  // A state put back after a host restart may be stale until its signal speaks again.
  if (alarm.restored) lines.push('Restored from the recording after the host restarted; no new sample of its signal has confirmed it yet');
  return lines.join('\n');
}
