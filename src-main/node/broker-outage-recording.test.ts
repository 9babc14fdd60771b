import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import type { FrameBatch } from '../common/contract.ts';
import { frameMachineAt } from '../common/frame-batch.ts';
import { Health, healthStates, type HealthCode } from '../common/health.ts';
import { parsePlantOrThrow } from '../common/parse-plant.ts';
import { plantBrokers } from '../common/resolve-brokers.ts';
import { signalOrder } from '../common/signal-order.ts';
import { LiveSource } from './live-source.ts';
import { BackgroundRecorder } from './recording/background-recorder.ts';
import { ViewPlayer } from './replay/view-player.ts';
import { mosquittoPath, startMosquitto, type MosquittoBroker } from './testing/mosquitto-broker.ts';
import { until } from './testing/until.ts';

// "While a broker is down its machines show offline and the recording marks the gap": the line's
// broker crashes and comes back while the host records as `twinline-host` does (a BackgroundRecorder
// in its worker thread). Replayed from the file, the line's machines are offline for exactly the span
// live saw the broker down — and the utilities' machine, on another broker, never is — and the
// timeline's health strips show the outage.

const folder = mkdtempSync(join(tmpdir(), 'twinline-broker-outage-'));
const brokers: MosquittoBroker[] = [];
afterAll(async () => {
  for (const broker of brokers) await broker.close();
  rmSync(folder, { recursive: true, force: true });
});

const topics = { press: 'plant/press/force', oven: 'plant/oven/temperature', pump: 'plant/pump/flow' } as const;
const machines = { press: 0, oven: 1, pump: 2 } as const;

describe.skipIf(!mosquittoPath)('a broker outage in the recording (mosquitto)', () => {
  it('replays the line’s machines offline for exactly the outage live saw, the other broker’s machine never, and the timeline shows it', { timeout: 90_000 }, async () => {
    const line = await startMosquitto();
    const utilities = await startMosquitto();
    brokers.push(line, utilities);
    const plantText = `name: Outage line
brokers:
  - { id: line, url: "${line.url}" }
  - { id: utilities, url: "${utilities.url}" }
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, signals: [{ id: force, topic: ${topics.press}, period: 0.1, staleAfter: 60 }] }
  - { id: oven, name: Oven, area: A, line: L, primitive: { shape: box }, signals: [{ id: temperature, topic: ${topics.oven}, period: 0.1, staleAfter: 60 }] }
  - { id: pump, name: Pump, area: U, line: U, primitive: { shape: box }, signals: [{ id: flow, topic: ${topics.pump}, broker: utilities, period: 0.1, staleAfter: 60 }] }
`;
    const plant = parsePlantOrThrow(plantText);
    // Recorded as twinline-host records: the same source description, the same worker-thread recorder.
    const recorder = new BackgroundRecorder(
      { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: signalOrder(plant).keys, brokerIds: plantBrokers(plant).map((broker) => broker.id) },
      { directory: folder },
      (line) => console.error(line),
    );
    // What live told the recorder about the line's broker, with the times it used.
    const lineConnection: Array<{ connected: boolean; time: number }> = [];
    const source = new LiveSource({
      plant,
      reconnectPolicy: { firstDelayMs: 200, maxDelayMs: 1000 },
      observer: {
        onSample: (signal, value, time) => recorder.onSample(signal, value, time),
        onConnection: (broker, connected, time) => {
          if (broker === 0) lineConnection.push({ connected, time });
          recorder.onConnection(broker, connected, time);
        },
        onMachineHealth: (machine, health, time) => recorder.onMachineHealth(machine, health, time),
      },
      log: (line) => console.error(line),
    });
    const liveHealth: number[] = new Array(plant.machines.length).fill(Health.unknown);
    source.subscribe('frame', (frame: FrameBatch) => frame.machineHealth.forEach((health, position) => (liveHealth[frameMachineAt(frame, position)] = health)));
    const shown = () => liveHealth.map((code) => healthStates[code as HealthCode]);

    // A publisher per broker, every 100 ms.
    const publishers: MqttClient[] = [line, utilities].map((broker, index) => {
      const client = mqtt.connect(broker.url, { clientId: `outage-test-publisher-${index}`, reconnectPeriod: 50 });
      // The line's publisher loses its broker on purpose.
      client.on('error', () => undefined);
      return client;
    });
    let tick = 0;
    const publishing = setInterval(() => {
      tick++;
      const value = JSON.stringify({ value: 10 + (tick % 5) });
      if (publishers[0]!.connected) for (const topic of [topics.press, topics.oven]) publishers[0]!.publish(topic, value);
      if (publishers[1]!.connected) publishers[1]!.publish(topics.pump, value);
    }, 100);

    let file: string | undefined;
    let allOkAt = 0;
    try {
      source.start();
      await until(() => shown().every((health) => health === 'ok'), 'every machine ok', shown, 15_000);
      allOkAt = Date.now();
      // A stretch of normal running, long enough for a commit of the recording.
      await until(() => recorder.status().samplesTotal > 0, 'the first commit', () => recorder.status(), 15_000);

      await line.kill();
      await until(() => shown()[machines.press] === 'offline' && shown()[machines.oven] === 'offline', 'the line’s machines offline', shown, 15_000);
      expect(shown()[machines.pump]).toBe('ok');
      // Down for a few reconnect attempts.
      await until(() => (source.connections()[0]?.reconnectAttempts ?? 0) >= 3, 'three attempts while down', () => source.connections(), 15_000);
      await line.restart();
      await until(() => source.connections()[0]?.state === 'connected' && shown().every((health) => health === 'ok'), 'the line back and every machine ok', shown, 15_000);
      const backAt = Date.now();
      // Some running after the outage, committed.
      await until(() => Date.now() - backAt > 500 && recorder.status().samplesTotal > 0, 'running after the outage', undefined, 15_000);
      file = recorder.currentFile();
    } finally {
      clearInterval(publishing);
      for (const publisher of publishers) await publisher.endAsync(true);
      await source.stop();
      await recorder.stop();
    }

    // Live saw: connected, down, connected again (and disconnected when the host stopped).
    expect(lineConnection.map(({ connected }) => connected)).toEqual([true, false, true, false]);
    const down = lineConnection[1]!.time;
    const up = lineConnection[2]!.time;
    const stoppedAt = lineConnection[3]!.time;
    expect(up - down).toBeGreaterThan(300);
    expect(file).toBeDefined();

    const player = new ViewPlayer({ description: source.describePlant(), recordingFile: () => file, recordingsDirectory: folder, plantText });
    try {
      const view: number[] = new Array(plant.machines.length).fill(Health.unknown);
      const apply = (frame: FrameBatch) => frame.machineHealth.forEach((health, position) => (view[frameMachineAt(frame, position)] = health));
      player.subscribe('frame', apply);
      const { range, mode } = await player.player();
      expect(mode).toBe('replay');
      expect(range.start).toBeLessThan(down);
      expect(range.end).toBeGreaterThan(up);
      const replayedAt = async (time: number) => {
        await player.command({ action: 'seek', time });
        return view.map((code) => healthStates[code as HealthCode]);
      };
      // Exactly the span: ok the millisecond before the broker went down, offline from then until the millisecond before it was back.
      expect(await replayedAt(down - 1)).toEqual(['ok', 'ok', 'ok']);
      expect(await replayedAt(down)).toEqual(['offline', 'offline', 'ok']);
      expect(await replayedAt(Math.round((down + up) / 2))).toEqual(['offline', 'offline', 'ok']);
      expect(await replayedAt(up - 1)).toEqual(['offline', 'offline', 'ok']);
      expect(await replayedAt(up)).toEqual(['ok', 'ok', 'ok']);
      // A view that joins during the outage gets it in its snapshot too.
      await player.command({ action: 'seek', time: down + 100 });
      expect((await player.snapshot()).machineHealth).toEqual([Health.offline, Health.offline, Health.ok]);

      // The timeline: 50 ms buckets; those wholly inside the outage are offline, those wholly outside are not.
      const buckets = Math.ceil((range.end - range.start) / 50);
      // Health changes are recorded when live cut the frame that showed them: up to a frame after the event.
      const frameSlack = 100;
      for (const machine of [null, machines.press, machines.pump]) {
        const overview = await player.timeline({ from: range.start, to: range.end, buckets, machine });
        const strip = machine === null ? overview.plantHealth : overview.machineHealth!;
        const inside: number[] = [];
        const outside: number[] = [];
        strip.forEach((health, bucket) => {
          const start = range.start + bucket * overview.bucketMs;
          const end = start + overview.bucketMs;
          // Outside: from when live showed every machine ok until the outage, and from its end until the host stopped.
          if (start >= down + frameSlack && end <= up) inside.push(health);
          else if ((start >= allOkAt && end <= down) || (start >= up + frameSlack && end <= stoppedAt)) outside.push(health);
        });
        expect(inside.length, `machine ${machine}: buckets inside the outage`).toBeGreaterThan(3);
        expect(outside.length).toBeGreaterThan(3);
        const expectedInside = machine === machines.pump ? Health.ok : Health.offline;
        expect(new Set(inside), `machine ${machine}: inside the outage`).toEqual(new Set([expectedInside]));
        expect(new Set(outside), `machine ${machine}: outside the outage`).toEqual(new Set([Health.ok]));
      }
    } finally {
      player.dispose();
    }
  });
});
