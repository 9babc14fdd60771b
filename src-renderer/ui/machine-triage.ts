import type { PlantDescription } from '../../src-main/common/contract.ts';
import { healthStates, type HealthCode, type HealthState } from '../../src-main/common/health.ts';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { legendOrder } from '../scene/health-palette.ts';
import type { MachineListFilter } from '../state/view-store.ts';

/** How many machines are in one state, and the words the toolbar shows for it ("2 alarms"). */
export interface StateCount {
  state: HealthState;
  count: number;
  words: string;
}

/** Singular and plural of each state as a count reads: "1 warning", "7 offline". */
const countWords: Record<HealthState, [string, string]> = {
  alarm: ['alarm', 'alarms'],
  warn: ['warning', 'warnings'],
  offline: ['offline', 'offline'],
  bad: ['bad quality', 'bad quality'],
  stale: ['stale', 'stale'],
  unknown: ['unknown', 'unknown'],
  ok: ['ok', 'ok'],
};

/** The state a health code stands for; a code no rule makes counts as unknown, never as ok. */
export function stateOf(code: number): HealthState {
  return healthStates[code as HealthCode] ?? 'unknown';
}

/** Machines per state that is not ok, most urgent first, leaving out states no machine is in. */
export function countAbnormal(machineHealth: ArrayLike<number>): StateCount[] {
  const counts = new Map<HealthState, number>();
  for (let index = 0; index < machineHealth.length; index++) {
    const state = stateOf(machineHealth[index]!);
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  return legendOrder
    .map((code) => stateOf(code))
    .filter((state) => state !== 'ok' && (counts.get(state) ?? 0) > 0)
    .map((state) => {
      const count = counts.get(state)!;
      return { state, count, words: `${count} ${countWords[state][count === 1 ? 0 : 1]}` };
    });
}

/** Whether a machine in `code` (`predicted` or not) passes the list's filter: its state, predicted, and the search text in its name, id, area or line (any case). */
export function machineMatches(machine: Machine, code: number, filter: MachineListFilter, predicted = false): boolean {
  if (filter.state !== null && stateOf(code) !== filter.state) return false;
  if (filter.predicted === true && !predicted) return false;
  const text = filter.text.trim().toLocaleLowerCase();
  if (text === '') return true;
  return [machine.name, machine.id, machine.area, machine.line].some((field) => field.toLocaleLowerCase().includes(text));
}

/** The name of the signal at `signalIndex` of a plant ("roll force"), as its machine's signal list gives it; undefined when there is none. */
export function signalName(description: PlantDescription, signalIndex: number | null): string | undefined {
  if (signalIndex === null) return undefined;
  const key = description.signalKeys[signalIndex];
  const machine = description.plant.machines[description.signalMachine[signalIndex] ?? -1];
  if (key === undefined || !machine) return undefined;
  const id = key.slice(key.indexOf('/') + 1);
  const signal = machine.signals.find((candidate) => candidate.id === id);
  return signal ? (signal.name ?? signal.id) : id;
}
