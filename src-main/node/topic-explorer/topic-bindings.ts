import type { Plant } from '../../common/plant-schema.ts';
import { plantBrokers } from '../../common/resolve-brokers.ts';

/** One plant signal's source, as plain data that can cross to a worker thread (no broker settings, no secrets). */
export interface SignalSource {
  /** `machine/signal` */
  key: string;
  broker: string;
  topic?: string;
  sparkplug?: { group: string; node: string; device?: string; metric: string };
}

/** The sources of every signal of a plant, each with its broker (the first one when the signal names none). */
export function signalSources(plant: Plant): SignalSource[] {
  const firstBroker = plantBrokers(plant)[0]!.id;
  return plant.machines.flatMap((machine) =>
    machine.signals.map((signal) => ({
      key: `${machine.id}/${signal.id}`,
      broker: signal.broker ?? firstBroker,
      ...(signal.topic === undefined ? {} : { topic: signal.topic }),
      ...(signal.sparkplug === undefined ? {} : { sparkplug: signal.sparkplug }),
    })),
  );
}

const addressKey = (broker: string, address: { group: string; node: string; device?: string }) => `${broker}\u0000${address.group}\u0000${address.node}\u0000${address.device ?? ''}`;

/** Which plant signals read a topic or a Sparkplug metric. */
export class TopicBindings {
  private readonly byTopic = new Map<string, string[]>();
  private readonly byAddress = new Map<string, Map<string, string[]>>();
  private static readonly none = new Map<string, string[]>();

  constructor(sources: readonly SignalSource[]) {
    for (const source of sources) {
      if (source.topic !== undefined) {
        const key = `${source.broker}\u0000${source.topic}`;
        this.byTopic.set(key, [...(this.byTopic.get(key) ?? []), source.key]);
      }
      if (source.sparkplug !== undefined) {
        const key = addressKey(source.broker, source.sparkplug);
        const metrics = this.byAddress.get(key) ?? new Map<string, string[]>();
        metrics.set(source.sparkplug.metric, [...(metrics.get(source.sparkplug.metric) ?? []), source.key]);
        this.byAddress.set(key, metrics);
      }
    }
  }

  /** Signals reading a topic: a JSON signal bound to it, or any metric of the Sparkplug node or device it belongs to. */
  signalsOf(broker: string, topic: string, sparkplug: { group: string; node: string; device?: string } | undefined): string[] {
    const direct = this.byTopic.get(`${broker}\u0000${topic}`) ?? [];
    if (sparkplug === undefined) return direct;
    return [...direct, ...[...this.sparkplugMetricsOf(broker, sparkplug).values()].flat()];
  }

  /** The bound metrics of one Sparkplug edge node or device, by metric name. */
  sparkplugMetricsOf(broker: string, address: { group: string; node: string; device?: string }): ReadonlyMap<string, string[]> {
    return this.byAddress.get(addressKey(broker, address)) ?? TopicBindings.none;
  }
}
