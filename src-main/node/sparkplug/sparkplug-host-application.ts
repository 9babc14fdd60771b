import type { BrokerSparkplug, SparkplugBinding } from '../../common/plant-schema.ts';
import type { Subscription, WillMessage } from '../broker-connection.ts';
import type { BrokerPublisher, MessageDecoder } from '../message-decoder.ts';
import type { SampleSink } from '../sample-sink.ts';

/** How a Sparkplug host application is set up on one broker. */
export interface SparkplugHostOptions {
  /** The broker's `sparkplug` settings, defaults filled in. */
  settings: BrokerSparkplug;
  /** This broker's Sparkplug-bound signals with their index in the signal order. */
  bindings: ReadonlyArray<{ signalIndex: number; binding: SparkplugBinding }>;
  sink: SampleSink;
  publisher: BrokerPublisher;
  clock?: () => number;
  /** Where unexpected errors in its timers are reported. */
  log?: (line: string) => void;
}

/** A Sparkplug B 3.0 host application on one broker. Work in progress: being built now. */
export class SparkplugHostApplication implements MessageDecoder {
  private readonly options: SparkplugHostOptions;

  constructor(options: SparkplugHostOptions) {
    this.options = options;
  }

  subscriptions(): Subscription[] {
    return [];
  }

  ingest(topic: string, _payload: Uint8Array): boolean {
    return topic.startsWith('spBv1.0/') && this.options.bindings.length < 0;
  }

  will(): WillMessage | undefined {
    return undefined;
  }
}
