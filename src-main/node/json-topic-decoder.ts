import type { ProblemKind } from '../common/contract.ts';
import { compileSampleReader, parsePayload, readSignalSample, type SampleReader } from '../common/decode-sample.ts';
import type { Signal } from '../common/plant-schema.ts';
import type { Subscription } from './broker-connection.ts';
import type { MessageDecoder } from './message-decoder.ts';
import type { SampleSink } from './sample-sink.ts';

interface Route {
  signalIndex: number;
  reader: SampleReader;
}

/** Signals read from JSON payloads on plain MQTT topics: one parse per message, however many signals its topic carries. */
export class JsonTopicDecoder implements MessageDecoder {
  private readonly routes = new Map<string, Route[]>();
  private readonly sink: SampleSink;
  private readonly qos: 0 | 1;

  /** `signals` are this broker's topic-bound signals with their index in the signal order. */
  constructor(signals: ReadonlyArray<{ signalIndex: number; signal: Signal }>, sink: SampleSink, qos: 0 | 1) {
    this.sink = sink;
    this.qos = qos;
    for (const { signalIndex, signal } of signals) {
      if (signal.topic === undefined) continue;
      const list = this.routes.get(signal.topic) ?? [];
      list.push({ signalIndex, reader: compileSampleReader(signal) });
      this.routes.set(signal.topic, list);
    }
  }

  /** Whether any signal is bound to a topic here. */
  get empty(): boolean {
    return this.routes.size === 0;
  }

  subscriptions(): Subscription[] {
    return [...this.routes.keys()].map((topic) => ({ topic, qos: this.qos }));
  }

  ingest(topic: string, payload: Uint8Array): boolean {
    const routes = this.routes.get(topic);
    if (!routes) return false;
    const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
    const parsed = parsePayload(text);
    if (!parsed.ok) {
      this.sink.problem(parsed.kind, topic, parsed.detail);
      return true;
    }
    for (const route of routes) {
      const result = readSignalSample(parsed.document, route.reader);
      if (result.ok) this.sink.sample(route.signalIndex, result.value, result.sourceTime);
      else this.sink.problem(result.kind as ProblemKind, topic, result.detail);
    }
    return true;
  }
}
