import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../common/contract.ts';
import { Health, healthStates, type HealthCode } from '../common/health.ts';
import { parsePlantOrThrow } from '../common/parse-plant.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.ts';
import { LiveSource } from './live-source.ts';

const testPlant = parsePlantOrThrow(`name: Integration line
maxPayloadBytes: 65536
machines:
  - id: oven
    name: Oven
    area: Bakery
    line: Line 1
    primitive: { shape: box }
    signals:
      - { id: temperature, topic: it/oven/temperature, period: 0.2, staleAfter: 1, limits: { highWarn: 200, highAlarm: 250 } }
  - id: mixer
    name: Mixer
    area: Bakery
    line: Line 1
    primitive: { shape: box }
    signals:
      - { id: speed, topic: it/mixer/state, path: drive.speed, period: 0.2, staleAfter: 1, limits: { highAlarm: 100 } }
`);

/** A broker the suite can stop and start again on the same port, as an outage does. */
interface TestBroker {
  name: string;
  url: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function aedesBroker(): Promise<TestBroker> {
  const broker: EmbeddedBroker = await startEmbeddedBroker();
  return { name: 'Aedes', url: broker.url, stop: () => broker.interrupt(), restart: () => broker.resume() };
}

const mosquittoPath = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((path) => existsSync(path)) ?? (spawnSync('which', ['mosquitto']).stdout?.toString().trim() || undefined);

async function mosquittoBroker(): Promise<TestBroker> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    // Without a config file mosquitto 2 listens on loopback only, which is what a test wants.
    child = spawn(mosquittoPath!, ['-p', String(port)], { stdio: 'ignore' });
    await waitFor(async () => {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 500 }).catch(() => undefined);
      await client?.endAsync(true);
      return client !== undefined;
    }, 5000);
  };
  await start();
  return {
    name: 'mosquitto',
    url: `mqtt://127.0.0.1:${port}`,
    stop: async () => {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      await new Promise((resolve) => {
        running.once('exit', resolve);
        running.kill('SIGKILL');
      });
    },
    restart: start,
  };
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const brokers: Array<{ name: string; make: () => Promise<TestBroker>; available: boolean }> = [
  { name: 'Aedes', make: aedesBroker, available: true },
  { name: 'mosquitto', make: mosquittoBroker, available: mosquittoPath !== undefined },
];

describe.each(brokers)('LiveSource against $name', ({ make, available }) => {
  if (!available) {
    it.skip('needs the mosquitto binary (CI installs it)', () => undefined);
    return;
  }
  let broker: TestBroker;
  let source: LiveSource;
  let publisher: MqttClient;
  const connectionReports: ConnectionStatus[][] = [];

  const machineHealth = (id: string) => {
    const index = testPlant.machines.findIndex((machine) => machine.id === id);
    return healthStates[source.snapshot().machineHealth[index] as HealthCode];
  };
  const publish = (topic: string, payload: string | Buffer) => publisher.publishAsync(topic, payload);

  beforeAll(async () => {
    broker = await make();
    source = new LiveSource({ plant: testPlant, defaultBrokerUrl: broker.url, frameIntervalMs: 20, staleCheckIntervalMs: 50, reconnectPolicy: { firstDelayMs: 100, maxDelayMs: 400 } });
    source.subscribe('connection', (connections) => connectionReports.push(connections));
    source.start();
    publisher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 200 });
    await waitFor(() => source.connections()[0]?.state === 'connected', 5000);
  });

  afterAll(async () => {
    await publisher?.endAsync(true);
    await source?.stop();
    await broker?.stop();
  });

  it('turns a machine alarm over its limit and ok below it, through the frame stream', async () => {
    const frames: number[][] = [];
    const unsubscribe = source.subscribe('frame', (frame) => frames.push(frame.machineHealth));
    await publish('it/oven/temperature', JSON.stringify({ value: 180 }));
    await waitFor(() => machineHealth('oven') === 'ok', 3000);
    await publish('it/oven/temperature', JSON.stringify({ value: 260 }));
    await waitFor(() => machineHealth('oven') === 'alarm', 3000);
    await waitFor(() => frames.some((health) => health.includes(Health.alarm)), 1000);
    unsubscribe();
    const snapshot = source.snapshot();
    expect(snapshot.signalValue[0]).toBe(260);
    expect(snapshot.signalSampleTime[0]).toBeGreaterThan(Date.now() - 5000);
  });

  it('reads a value at its JSON path', async () => {
    await publish('it/mixer/state', JSON.stringify({ drive: { speed: 42 } }));
    await waitFor(() => source.snapshot().signalValue[1] === 42, 3000);
    expect(machineHealth('mixer')).toBe('ok');
  });

  it('goes stale once silent for the timeout, not before', async () => {
    await publish('it/oven/temperature', JSON.stringify({ value: 150 }));
    await waitFor(() => machineHealth('oven') === 'ok', 3000);
    const lastSample = source.snapshot().signalSampleTime[0]!;
    await waitFor(() => machineHealth('oven') === 'stale', 3000);
    expect(Date.now() - lastSample).toBeGreaterThanOrEqual(1000);
  });

  it('counts bad input, keeps running, and keeps updating other machines', async () => {
    const before = source.diagnostics().problemCounts;
    let speed = 10;
    const goodSampleArrives = async () => {
      speed += 1;
      await publish('it/mixer/state', JSON.stringify({ drive: { speed } }));
      await waitFor(() => source.snapshot().signalValue[1] === speed, 3000);
    };
    await publish('it/oven/temperature', '{"value": 12');
    await goodSampleArrives();
    await publish('it/oven/temperature', JSON.stringify({ value: 'hot' }));
    await goodSampleArrives();
    await publish('it/mixer/state', JSON.stringify({ drive: {} }));
    await goodSampleArrives();
    await publish('it/oven/temperature', Buffer.alloc(10 * 1024 * 1024, 0x20));
    await goodSampleArrives();
    // The source subscribes to its own topics only; a foreign topic never reaches it over MQTT,
    // and one fed to it directly is counted as unknown.
    await publish('it/unknown/topic', '1');
    source.ingest(0, 'it/unknown/topic', Buffer.from('1'));
    await goodSampleArrives();

    const after = source.diagnostics();
    expect(after.problemCounts.malformedPayload - before.malformedPayload).toBe(1);
    expect(after.problemCounts.wrongType - before.wrongType).toBe(1);
    expect(after.problemCounts.missingField - before.missingField).toBe(1);
    expect(after.problemCounts.oversizePayload - before.oversizePayload).toBe(1);
    expect(after.problemCounts.unknownTopic - before.unknownTopic).toBe(1);
    const recent = after.recentProblems.slice(-5).map((problem) => `${problem.kind} ${problem.topic}`);
    expect(recent).toEqual([
      'malformedPayload it/oven/temperature',
      'wrongType it/oven/temperature',
      'missingField it/mixer/state',
      'oversizePayload it/oven/temperature',
      'unknownTopic it/unknown/topic',
    ]);
  });

  it('turns every machine offline when the broker dies, and recovers when it returns', async () => {
    await publish('it/mixer/state', JSON.stringify({ drive: { speed: 5 } }));
    await waitFor(() => machineHealth('mixer') === 'ok', 3000);
    await broker.stop();
    await waitFor(() => machineHealth('mixer') === 'offline' && machineHealth('oven') === 'offline', 5000);
    await waitFor(() => connectionReports.at(-1)?.[0]?.state === 'reconnecting', 3000);
    await broker.restart();
    await waitFor(() => source.connections()[0]?.state === 'connected', 8000);
    await waitFor(() => publisher.connected, 5000);
    // Resubscribed after the reconnect: new samples flow again.
    await waitFor(async () => {
      await publish('it/mixer/state', JSON.stringify({ drive: { speed: 7 } }));
      return source.snapshot().signalValue[1] === 7;
    }, 5000);
    expect(machineHealth('mixer')).toBe('ok');
  });
});
