import { create } from 'zustand';
import type { AlarmRecord, AlarmSnapshot } from '../../../src-main/common/alarms/alarm-record.ts';
import type { PlantDescription } from '../../../src-main/common/contract.ts';
import { filterAlarms, type AlarmFilter } from './filter-alarms.ts';
import { orderAlarms, type AlarmSort } from './order-alarms.ts';

/** Where the sound setting is kept between visits. */
const soundStorageKey = 'twinline.alarmSound';

/** What the alarm list shows and how: the host's alarms, the list's view, filters, order and selection. */
export interface AlarmViewState {
  /** The alarms as the host last sent them (live, or as recorded at the moment shown); null until it has. */
  snapshot: AlarmSnapshot | null;
  listOpen: boolean;
  filter: AlarmFilter;
  sort: AlarmSort;
  /** The alarm id the keys and the action buttons act on. */
  selectedAlarm: number | null;
  /** A new high or critical alarm sounds a tone (off by default). */
  soundOn: boolean;
  /** What the last action did, or why it could not, in a sentence. */
  actionReport: string | null;
}

function storedSoundOn(): boolean {
  try {
    return globalThis.localStorage?.getItem(soundStorageKey) === 'on';
  } catch (error) {
    console.warn(`Twinline: the alarm sound setting cannot be read (${error instanceof Error ? error.message : String(error)}); sound stays off`);
    return false;
  }
}

/** The alarm list's store. */
export const useAlarmView = create<AlarmViewState>(() => ({
  snapshot: null,
  listOpen: false,
  filter: { tab: 'active', state: null, priority: null, area: null },
  sort: { by: 'standard' },
  selectedAlarm: null,
  soundOn: storedSoundOn(),
  actionReport: null,
}));

/** Opens or closes the alarm list (without an argument, toggles it). */
export function showAlarmList(open = !useAlarmView.getState().listOpen): void {
  useAlarmView.setState({ listOpen: open });
}

/** Turns the sound for new high and critical alarms on or off, and remembers the choice. */
export function chooseAlarmSound(on: boolean): void {
  useAlarmView.setState({ soundOn: on });
  try {
    globalThis.localStorage?.setItem(soundStorageKey, on ? 'on' : 'off');
  } catch (error) {
    console.warn(`Twinline: the alarm sound setting cannot be kept (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The alarms the list shows now, in its order: the snapshot through the filter and the chosen sort. */
export function visibleAlarms(state: Pick<AlarmViewState, 'snapshot' | 'filter' | 'sort'>, description: PlantDescription): AlarmRecord[] {
  const machines = description.plant.machines;
  const shown = filterAlarms(state.snapshot?.alarms ?? [], state.filter, (machine) => machines[machine]?.area);
  return orderAlarms(shown, state.sort, (machine) => machines[machine]?.name ?? '');
}
