import type { PlantDescription } from '../../src-main/common/contract.ts';

/**
 * Whether the shown plant's machine `selected` has the same machine and signal indexes in the running
 * plant: what the host records, charts and forecasts goes by those indexes, so in edit mode a machine
 * added, moved in the list or given other signals has none of it until the plant is saved.
 */
export function sharesRunningIndexes(shown: PlantDescription, running: PlantDescription, selected: number): boolean {
  if (shown === running) return true;
  const machine = shown.plant.machines[selected];
  const runningMachine = running.plant.machines[selected];
  if (!machine || !runningMachine || machine.id !== runningMachine.id) return false;
  if (shown.signalMachine.indexOf(selected) !== running.signalMachine.indexOf(selected)) return false;
  return machine.signals.length === runningMachine.signals.length && machine.signals.every((signal, index) => signal.id === runningMachine.signals[index]!.id);
}
