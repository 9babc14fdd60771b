import type { Plant, Signal } from './plant-schema.ts';
import { plantBrokers } from './resolve-brokers.ts';

/**
 * A plant's signals in the one order that frames, recordings, health rules and exports index them
 * by: machine by machine as the plant file lists them, each machine's signals in its order.
 */
export interface SignalOrder {
  /** `machineId/signalId` of each signal. */
  keys: string[];
  /** Each signal as the plant file defines it. */
  signals: Signal[];
  /** Index in `plant.machines` of each signal's machine. */
  machineOf: number[];
  /** Signal indices of each machine. */
  machineSignals: number[][];
  /** Index in the plant's brokers of the broker that carries each signal. */
  brokerOf: number[];
}

/** The signal order of a plant; everything that numbers signals takes it from here. */
export function signalOrder(plant: Plant): SignalOrder {
  const brokerIndex = new Map(plantBrokers(plant).map((broker, index) => [broker.id, index]));
  const order: SignalOrder = { keys: [], signals: [], machineOf: [], machineSignals: [], brokerOf: [] };
  plant.machines.forEach((machine, machineIndex) => {
    const indices: number[] = [];
    for (const signal of machine.signals) {
      indices.push(order.keys.length);
      order.keys.push(`${machine.id}/${signal.id}`);
      order.signals.push(signal);
      order.machineOf.push(machineIndex);
      order.brokerOf.push(signal.broker === undefined ? 0 : (brokerIndex.get(signal.broker) ?? 0));
    }
    order.machineSignals.push(indices);
  });
  return order;
}
