import type { Broker, Plant } from './plant-schema.ts';

/** A broker with the URL it will be reached at. */
export type BrokerEndpoint = Broker & {
  url: string;
  /** Folder its `tls` files are relative to: the plant file's (absent: the working directory). */
  plantDirectory?: string;
  /** Largest MQTT packet the host accepts (MQTT 5 tells the broker, which then drops larger ones instead of sending them). */
  maxPacketBytes?: number;
};

/** Id of the broker a plant without a `brokers` list uses. */
export const implicitBrokerId = 'default';

/** The brokers a plant file names, or the one implicit broker when it names none. */
export function plantBrokers(plant: Plant): Broker[] {
  return plant.brokers.length > 0 ? plant.brokers : [{ id: implicitBrokerId, protocol: 4 }];
}

/**
 * Gives each of the plant's brokers its URL: from `urls` by broker id (the key "" means the first
 * broker, as a bare `--broker URL` does), else from the plant file. Lists the brokers left without one.
 * `plantDirectory`, the plant file's folder, is what the brokers' TLS files are relative to.
 */
export function resolveBrokers(plant: Plant, urls: Readonly<Record<string, string>>, plantDirectory?: string): { brokers: BrokerEndpoint[]; missing: string[] } {
  const brokers: BrokerEndpoint[] = [];
  const missing: string[] = [];
  plantBrokers(plant).forEach((broker, index) => {
    const url = urls[broker.id] ?? (index === 0 ? urls[''] : undefined) ?? broker.url;
    if (url === undefined) missing.push(broker.id);
    else brokers.push(plantDirectory === undefined ? { ...broker, url } : { ...broker, url, plantDirectory });
  });
  return { brokers, missing };
}
