import type { PlantDescription } from '../../src-main/common/contract.ts';
import type { Plant } from '../../src-main/common/plant-schema.ts';
import { signalOrder } from '../../src-main/common/signal-order.ts';

/**
 * The plant being edited as the view draws it: the editor's plant (with the edits not yet saved) in
 * the running plant's description, so the scene, machine list and inspector show the edits at once.
 */
export function editDescription(plant: Plant, running: PlantDescription): PlantDescription {
  const order = signalOrder(plant);
  return { ...running, plant, signalKeys: order.keys, signalMachine: order.machineOf };
}

/**
 * Where each signal and machine of the edited plant is in the running plant (-1 where it is new), by
 * `machineId/signalId` and machine id: the running plant's telemetry is shown on the edited one by these.
 */
export interface TelemetryMapping {
  signalFrom: Int32Array;
  machineFrom: Int32Array;
}

/** Maps the edited plant's signals and machines to the running plant's. */
export function telemetryMapping(edited: PlantDescription, running: PlantDescription): TelemetryMapping {
  const runningSignals = new Map(running.signalKeys.map((key, index) => [key, index]));
  const runningMachines = new Map(running.plant.machines.map((machine, index) => [machine.id, index]));
  return {
    signalFrom: Int32Array.from(edited.signalKeys, (key) => runningSignals.get(key) ?? -1),
    machineFrom: Int32Array.from(edited.plant.machines, (machine) => runningMachines.get(machine.id) ?? -1),
  };
}
