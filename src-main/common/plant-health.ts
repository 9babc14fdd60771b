import { Health, ruleForSignal, signalHealthAt, worseHealth, type HealthCode, type SignalRule, type SignalRuleState } from './health.ts';
import type { Plant } from './plant-schema.ts';
import { signalOrder } from './signal-order.ts';

/** A plant's rules in signal order: what health at any moment is computed from. */
export interface PlantRules {
  rules: SignalRule[];
  /** Broker index of each signal. */
  signalBroker: number[];
  /** Signal indices of each machine. */
  machineSignals: number[][];
}

/** A plant's rules, in the order of `signalOrder`. */
export function plantRules(plant: Plant): PlantRules {
  const order = signalOrder(plant);
  return { rules: order.signals.map((signal) => ruleForSignal(signal)), signalBroker: order.brokerOf, machineSignals: order.machineSignals };
}

/** Health of every signal and machine at one moment. */
export interface PlantHealth {
  signalHealth: HealthCode[];
  machineHealth: HealthCode[];
}

/**
 * Health of every signal and machine at `time`, from rule states and broker connections. Pure but for
 * `into`, whose arrays are overwritten and returned when given: a replay cursor computes this for
 * every frame, and two fresh arrays of every signal each time were garbage its seeks did not need.
 */
export function plantHealthAt(plant: PlantRules, signals: ReadonlyArray<SignalRuleState | undefined>, connected: readonly boolean[], time: number, into?: PlantHealth): PlantHealth {
  const signalCount = plant.rules.length;
  const machineCount = plant.machineSignals.length;
  const signalHealth = into?.signalHealth ?? new Array<HealthCode>(signalCount);
  const machineHealth = into?.machineHealth ?? new Array<HealthCode>(machineCount);
  signalHealth.length = signalCount;
  machineHealth.length = machineCount;
  for (let index = 0; index < signalCount; index++) signalHealth[index] = signalHealthAt(signals[index], plant.rules[index]!, time, connected[plant.signalBroker[index]!] ?? false);
  for (let machine = 0; machine < machineCount; machine++) {
    const indices = plant.machineSignals[machine]!;
    let worst: HealthCode = indices.length === 0 ? Health.unknown : signalHealth[indices[0]!]!;
    for (let position = 1; position < indices.length; position++) worst = worseHealth(worst, signalHealth[indices[position]!]!);
    machineHealth[machine] = worst;
  }
  return { signalHealth, machineHealth };
}
