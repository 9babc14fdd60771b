import type { MqttClient } from 'mqtt';
import { encodeSparkplugPayload, type SparkplugMetricInput } from '../sparkplug/sparkplug-payload-codec.ts';

/**
 * What a test needs to play a Sparkplug B edge node: the topics it publishes on, the bdSeq metric
 * its births and deaths carry, and a publish that has reached the broker when it resolves.
 */

/** Which edge node a message is from: its group and node and, for device messages, the device. */
export interface EdgeAddress {
  group: string;
  node: string;
  device?: string;
}

/** What an edge node's payload holds; `publishAsEdge` stamps it with the time now unless it has a timestamp. */
export interface EdgePayload {
  seq?: number;
  timestamp?: number;
  metrics: SparkplugMetricInput[];
}

/** The Sparkplug B topic of a message of `type` (NBIRTH, NDATA, DBIRTH, NDEATH …) from `address`. */
export function sparkplugTopic(type: string, { group, node, device }: EdgeAddress): string {
  return device === undefined ? `spBv1.0/${group}/${type}/${node}` : `spBv1.0/${group}/${type}/${node}/${device}`;
}

/** The bdSeq metric that ties an NBIRTH to the NDEATH (the will) of the same connection. */
export function bdSeqMetric(bdSeq: number): SparkplugMetricInput {
  return { name: 'bdSeq', type: 'UInt64', value: bdSeq };
}

/** An NDEATH's payload as an edge node's will carries it: the bdSeq alone, no timestamp. */
export function nodeDeathPayload(bdSeq: number): Buffer {
  return encodeSparkplugPayload({ metrics: [bdSeqMetric(bdSeq)] });
}

/** Publishes `payload` as a message of `type` from the edge node at `address`, at QoS 1: once this resolves the broker has it. */
export async function publishAsEdge(client: MqttClient, type: string, address: EdgeAddress, payload: EdgePayload): Promise<void> {
  await client.publishAsync(sparkplugTopic(type, address), encodeSparkplugPayload({ timestamp: Date.now(), ...payload }), { qos: 1 });
}
