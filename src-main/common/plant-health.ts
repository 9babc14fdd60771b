import { Health, ruleForSignal, signalHealthAt, worseHealth, type HealthCode, type SignalRule, type SignalRuleState } from './health.ts';
import type { Plant } from './plant-schema.ts';
import { plantBrokers } from './resolve-brokers.ts';

/** A plant's rules in signal order: what health at any moment is computed from. */
export interface PlantRules {
  rules: SignalRule[];
  /** Broker index of each signal. */
  signalBroker: number[];
  /** Signal indices of each machine. */
  machineSignals: number[][];
}

/** Flattens a plant's signals, in the order frames and recordings use. */
export function plantRules(plant: Plant): PlantRules {
  const brokerIndex = new Map(plantBrokers(plant).map((broker, index) => [broker.id, index]));
  const rules: SignalRule[] = [];
  const signalBroker: number[] = [];
  const machineSignals = plant.machines.map((machine) =>
    machine.signals.map((signal) => {
      rules.push(ruleForSignal(signal));
      signalBroker.push(signal.broker === undefined ? 0 : (brokerIndex.get(signal.broker) ?? 0));
      return rules.length - 1;
    }),
  );
  return { rules, signalBroker, machineSignals };
}

/** Health of every signal and machine at `time`, from rule states and broker connections (pure). */
export function plantHealthAt(plant: PlantRules, signals: ReadonlyArray<SignalRuleState | undefined>, connected: readonly boolean[], time: number): { signalHealth: HealthCode[]; machineHealth: HealthCode[] } {
  const signalHealth = plant.rules.map((rule, index) => signalHealthAt(signals[index], rule, time, connected[plant.signalBroker[index]!] ?? false));
  const machineHealth = plant.machineSignals.map((indices) => indices.reduce<HealthCode | undefined>((worst, index) => (worst === undefined ? signalHealth[index]! : worseHealth(worst, signalHealth[index]!)), undefined) ?? Health.unknown);
  return { signalHealth, machineHealth };
}
