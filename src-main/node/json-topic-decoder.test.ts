import { describe, expect, it } from 'vitest';
import type { ConnectionStatus, FrameBatch } from '../common/contract.ts';
import { Health } from '../common/health.ts';
import { parsePlantOrThrow } from '../common/parse-plant.ts';
import { signalOrder } from '../common/signal-order.ts';
import { JsonTopicDecoder } from './json-topic-decoder.ts';
import { LiveSource } from './live-source.ts';
import type { SampleSink } from './sample-sink.ts';
import { frameSampleTimeAt, frameSignalAt } from '../common/frame-batch.ts';

const plant = parsePlantOrThrow(`
name: JSON payloads
maxClockSkew: 60
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - id: kiln
    name: Kiln
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: temperature, topic: kiln/temperature, scale: 0.1, offset: -5, limits: { highAlarm: 100 } }
      - { id: mode, topic: kiln/mode, states: { RUNNING: 1, IDLE: 0, FAULT: 2 } }
      - { id: door, topic: kiln/status, path: door.open }
      - { id: fan, topic: kiln/status, path: fan.speed }
`);
const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload));

/** A sink that keeps what it is handed. */
function collectingSink() {
  const samples: Array<{ signal: number; value: number; sourceTime: number | undefined }> = [];
  const problems: Array<{ kind: string; topic: string; detail: string }> = [];
  const sink: SampleSink = {
    sample: (signal, value, sourceTime) => samples.push({ signal, value, sourceTime }),
    lost: () => {
      throw new Error('JSON topics never lose their source');
    },
    problem: (kind, topic, detail) => problems.push({ kind, topic, detail }),
  };
  return { sink, samples, problems };
}

describe('JsonTopicDecoder', () => {
  const signals = signalOrder(plant).signals.map((signal, signalIndex) => ({ signalIndex, signal }));

  it('subscribes once per topic and parses a message once for every signal on its topic', () => {
    const { sink, samples, problems } = collectingSink();
    const decoder = new JsonTopicDecoder(signals, sink, 1);
    expect(decoder.subscriptions()).toEqual([
      { topic: 'kiln/temperature', qos: 1 },
      { topic: 'kiln/mode', qos: 1 },
      { topic: 'kiln/status', qos: 1 },
    ]);
    expect(decoder.ingest('kiln/status', encode({ door: { open: true }, fan: { speed: { v: '1200', t: 1_700_000_000, q: 'uncertain' } } }))).toBe(true);
    expect(samples).toEqual([
      { signal: 2, value: 1, sourceTime: undefined },
      { signal: 3, value: 1200, sourceTime: 1_700_000_000_000 },
    ]);
    // One signal of the message fails and the other still reads.
    expect(decoder.ingest('kiln/status', encode({ door: { open: 'ajar' }, fan: { speed: { value: null, quality: 'BadSensorFailure' } } }))).toBe(true);
    expect(samples.at(-1)).toEqual({ signal: 3, value: Number.NaN, sourceTime: undefined });
    expect(problems).toEqual([{ kind: 'wrongType', topic: 'kiln/status', detail: 'expected a number, got the string "ajar" (the signal has no states to map text to)' }]);
    expect(decoder.ingest('other/topic', encode(1))).toBe(false);
  });

  it('counts a payload that is not JSON once, however many signals share its topic', () => {
    const { sink, samples, problems } = collectingSink();
    const decoder = new JsonTopicDecoder(signals, sink, 0);
    decoder.ingest('kiln/status', new Uint8Array([0xff, 0xfe, 0x7b]));
    expect(samples).toEqual([]);
    expect(problems.map((problem) => problem.kind)).toEqual(['malformedPayload']);
  });
});

describe('JSON payloads through the live source', () => {
  it('shows states, scaled values, bad quality and the payload’s own time as a view receives them', () => {
    let now = 1_800_000_000_000;
    const live = new LiveSource({ plant, clock: () => now, staleCheckIntervalMs: 0 });
    const frames: FrameBatch[] = [];
    live.subscribe('frame', (frame) => frames.push(frame));
    const status: ConnectionStatus = { brokerId: 'line', url: '', state: 'connected', since: now, reconnectAttempts: 0, protocol: 4, subscriptions: 0, warnings: [] };
    live.applyBrokerStatus(0, status);
    const shown = () => {
      live.flush();
      const state = new Map<number, { value: number; time: number; health: number }>();
      for (const frame of frames) frame.signalValue.forEach((value, position) => state.set(frameSignalAt(frame, position), { value, time: frameSampleTimeAt(frame, position), health: frame.signalHealth[position]! }));
      return state;
    };

    live.ingest(0, 'kiln/temperature', encode({ value: 1100, ts: new Date(now - 2000).toISOString() }));
    live.ingest(0, 'kiln/mode', encode('Fault'));
    expect(shown().get(0)).toEqual({ value: 105, time: now - 2000, health: Health.alarm });
    expect(shown().get(1)).toEqual({ value: 2, time: now, health: Health.ok });

    now += 1000;
    live.ingest(0, 'kiln/temperature', encode({ value: 1100, quality: 'bad', timestamp: now - 500 }));
    live.ingest(0, 'kiln/mode', encode('MAINTENANCE'));
    const afterBad = shown();
    // Bad quality is shown as such, never as the alarm or the number it came with.
    expect(afterBad.get(0)).toEqual({ value: Number.NaN, time: now - 500, health: Health.bad });
    expect(afterBad.get(1)).toEqual({ value: 2, time: now - 1000, health: Health.ok });

    // A timestamp from a clock an hour off is counted, and the receive time is used instead.
    now += 1000;
    live.ingest(0, 'kiln/temperature', encode({ value: 500, ts: now - 3_600_000 }));
    expect(shown().get(0)).toEqual({ value: 45, time: now, health: Health.ok });

    const diagnostics = live.diagnostics();
    expect(diagnostics.messagesReceived).toBe(5);
    expect(diagnostics.samplesAccepted).toBe(4);
    expect(diagnostics.problemCounts.unknownState).toBe(1);
    expect(diagnostics.brokers[0]).toMatchObject({ brokerId: 'line', messagesReceived: 5, samplesAccepted: 4, clockSkewed: 1 });
    expect(diagnostics.recentProblems.at(-1)).toMatchObject({ kind: 'unknownState', topic: 'kiln/mode', detail: 'the string "MAINTENANCE" is none of the signal\'s states' });
  });
});
