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

/** Health of every signal and machine at `time`, from rule states and broker connections (pure). */
export function plantHealthAt(plant: PlantRules, signals: ReadonlyArray<SignalRuleState | undefined>, connected: readonly boolean[], time: number): { signalHealth: HealthCode[]; machineHealth: HealthCode[] } {
  const signalHealth = plant.rules.map((rule, index) => signalHealthAt(signals[index], rule, time, connected[plant.signalBroker[index]!] ?? false));
  const machineHealth = plant.machineSignals.map((indices) => indices.reduce<HealthCode | undefined>((worst, index) => (worst === undefined ? signalHealth[index]! : worseHealth(worst, signalHealth[index]!)), undefined) ?? Health.unknown);
  return { signalHealth, machineHealth };
}
