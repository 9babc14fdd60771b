import type { Subscription, WillMessage } from './broker-connection.ts';

/**
 * Turns one broker's messages of one protocol (plain JSON topics, Sparkplug B) into samples for a
 * `SampleSink`. A broker has one decoder per protocol its signals use; the first that takes a topic
 * gets the message.
 */
export interface MessageDecoder {
  /** Topic filters to subscribe to, with their QoS. */
  subscriptions(): Subscription[];
  /** Decodes a message; returns false when the topic is not this decoder's. `payload` is within the plant's size limit. */
  ingest(topic: string, payload: Uint8Array): boolean;
  /** The will for a new connection, if the protocol has one. */
  will?(): WillMessage | undefined;
  /** The connection is up and subscribed. */
  onConnected?(): void;
  /** The connection is down. */
  onDisconnected?(): void;
  /** Stops the decoder's timers. */
  stop?(): void;
}

/** What a decoder may do with its broker besides receiving: publish (a Sparkplug STATE birth, a rebirth request). */
export interface BrokerPublisher {
  /** Publishes if connected; returns whether the message was handed to the client. */
  publish(topic: string, payload: string | Buffer, options: { qos: 0 | 1; retain: boolean }): boolean;
}
