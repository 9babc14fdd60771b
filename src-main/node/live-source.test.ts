import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect as connectTcp, createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionStatus, FrameBatch } from '../common/contract.ts';
import { Health, healthStates, type HealthCode } from '../common/health.ts';
import { parsePlantOrThrow } from '../common/parse-plant.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.ts';
import { LiveSource } from './live-source.ts';
import { until } from './testing/until.ts';
import { frameMachineAt, frameSampleTimeAt, frameSignalAt } from '../common/frame-batch.ts';

// Small plant: three machines with limits; the press reads two signals out of one JSON document by path.
// `staleAfter: 1` keeps the staleness test short; `maxPayloadBytes` is the default 256 KiB, written out
// because the oversize cases below are measured against it.
const maxPayloadBytes = 256 * 1024;
const plant = parsePlantOrThrow(`
name: Live source test plant
maxPayloadBytes: ${maxPayloadBytes}
machines:
  - id: furnace
    name: Furnace
    area: Melt shop
    line: Melt 1
    primitive: { shape: box }
    signals:
      - id: temperature
        topic: test/furnace/temperature
        staleAfter: 1
        limits: { highWarn: 80, highAlarm: 90 }
  - id: press
    name: Press
    area: Forming
    line: Press line
    primitive: { shape: cylinder }
    signals:
      - id: force
        topic: test/press/telemetry
        path: data.force
        staleAfter: 1
        limits: { highWarn: 500, highAlarm: 800 }
      - id: speed
        topic: test/press/telemetry
        path: data.speed
        staleAfter: 1
  - id: pump
    name: Pump
    area: Utilities
    line: Cooling
    primitive: { shape: sphere }
    signals:
      - id: flow
        topic: test/pump/flow
        staleAfter: 1
        limits: { lowAlarm: 2, lowWarn: 5 }
`);

const topics = { furnace: 'test/furnace/temperature', press: 'test/press/telemetry', pump: 'test/pump/flow' } as const;
const machineIndex = { furnace: 0, press: 1, pump: 2 } as const;
type MachineName = keyof typeof machineIndex;
const reconnectPolicy = { firstDelayMs: 100, maxDelayMs: 500 };

/** What a view would show: every frame applied in order, as the renderer does. */
class ViewModel {
  readonly signalValue: number[];
  readonly signalSampleTime: number[];
  readonly signalHealth: number[];
  readonly machineHealth: number[];
  readonly frames: FrameBatch[] = [];
  constructor(signalCount: number, machineCount: number, snapshot: FrameBatch) {
    this.signalValue = new Array<number>(signalCount).fill(0);
    this.signalSampleTime = new Array<number>(signalCount).fill(0);
    this.signalHealth = new Array<number>(signalCount).fill(Health.unknown);
    this.machineHealth = new Array<number>(machineCount).fill(Health.unknown);
    this.apply(snapshot);
    this.frames.length = 0;
  }
  apply(frame: FrameBatch): void {
    this.frames.push(frame);
    frame.signalValue.forEach((value, position) => {
      const signal = frameSignalAt(frame, position);
      this.signalValue[signal] = value;
      this.signalSampleTime[signal] = frameSampleTimeAt(frame, position);
      this.signalHealth[signal] = frame.signalHealth[position]!;
    });
    frame.machineHealth.forEach((health, position) => (this.machineHealth[frameMachineAt(frame, position)] = health));
  }
  machine(name: MachineName): string {
    return healthStates[this.machineHealth[machineIndex[name]] as HealthCode];
  }
  machines(): Record<MachineName, string> {
    return { furnace: this.machine('furnace'), press: this.machine('press'), pump: this.machine('pump') };
  }
}

/** A broker the suite can stop and start again on the same port. */
interface TestBroker {
  url: string;
  /** Kills the broker as a crash would. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function startAedes(): Promise<TestBroker> {
  const broker: EmbeddedBroker = await startEmbeddedBroker();
  return { url: broker.url, stop: () => broker.interrupt(), restart: () => broker.resume(), close: () => broker.close() };
}

function findMosquitto(): string | undefined {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/opt/homebrew/sbin'];
  return folders.filter((folder) => folder !== '').map((folder) => join(folder, 'mosquitto')).find((file) => existsSync(file));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const mosquittoPath = findMosquitto();
const mosquittoProcesses = new Set<ChildProcess>();

async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
  mosquittoProcesses.delete(child);
}

/** A real mosquitto on a free loopback port: without a config file mosquitto 2.x listens on loopback only. */
async function startMosquitto(): Promise<TestBroker> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    const started = spawn(mosquittoPath!, ['-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    mosquittoProcesses.add(started);
    child = started;
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(port))) {
      if (started.exitCode !== null || Date.now() > deadline) {
        await killProcess(started);
        throw new Error(`mosquitto did not come up on port ${port}: ${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async () => {
    if (child) await killProcess(child);
    child = undefined;
  };
  await launch();
  return { url: `mqtt://127.0.0.1:${port}`, stop, restart: launch, close: stop };
}

afterAll(async () => {
  await Promise.all([...mosquittoProcesses].map(killProcess));
});

const brokerKinds = [
  { name: 'Aedes (in-process)', available: true, start: startAedes },
  {
    name: mosquittoPath ? `mosquitto (${mosquittoPath})` : 'mosquitto — SKIPPED: no mosquitto binary on PATH or in /usr/sbin (CI installs it)',
    available: mosquittoPath !== undefined,
    start: startMosquitto,
  },
];

describe.each(brokerKinds)('LiveSource against $name', (kind) => {
  describe.skipIf(!kind.available)('over the wire', () => {
    let broker: TestBroker | undefined;
    let source: LiveSource | undefined;
    let publisher: MqttClient | undefined;
    let view: ViewModel;
    let connectionEvents: ConnectionStatus[][];

    const signal = (key: string) => {
      const index = source!.describePlant().signalKeys.indexOf(key);
      if (index < 0) throw new Error(`no signal ${key}`);
      return { value: view.signalValue[index]!, sampleTime: view.signalSampleTime[index]!, health: healthStates[view.signalHealth[index] as HealthCode] };
    };
    const state = () => ({ machines: view.machines(), connections: source!.connections(), diagnostics: source!.diagnostics() });

    /** Publishes (QoS 1, acknowledged by the broker) and resolves once the broker has it. */
    const publish = async (topic: string, payload: string | Buffer) => {
      await publisher!.publishAsync(topic, payload, { qos: 1 });
    };
    /** Publishes again and again until the view shows `condition`: the first samples may race the subscription. */
    const publishUntil = async (topic: string, payload: string, condition: () => boolean, what: string) => {
      let last = 0;
      await until(
        () => {
          if (condition()) return true;
          if (Date.now() - last > 200 && publisher!.connected) {
            last = Date.now();
            publisher!.publish(topic, payload, { qos: 0 });
          }
          return false;
        },
        what,
        state,
      );
    };

    beforeEach(async () => {
      broker = await kind.start();
      source = new LiveSource({ plant, defaultBrokerUrl: broker.url, reconnectPolicy });
      view = new ViewModel(source.describePlant().signalKeys.length, plant.machines.length, source.snapshot());
      connectionEvents = [];
      source.subscribe('frame', (frame) => view.apply(frame));
      source.subscribe('connection', (connections) => connectionEvents.push(connections));
      source.start();
      publisher = mqtt.connect(broker.url, { clientId: `test-publisher-${Math.random().toString(16).slice(2)}`, reconnectPeriod: 100, connectTimeout: 5000 });
      publisher.on('error', () => undefined);
      await until(() => publisher!.connected, 'the test publisher to connect');
      await until(() => source!.connections()[0]?.state === 'connected', 'the source to connect', state);
      // Proves the subscription is live before any case relies on ordering.
      await publishUntil(topics.pump, '{"value": 10}', () => signal('pump/flow').value === 10, 'a first pump sample');
    });

    afterEach(async () => {
      await publisher?.endAsync(true);
      await source?.stop();
      await broker?.close();
      publisher = undefined;
      source = undefined;
      broker = undefined;
    });

    it('shows alarm for a value over the alarm limit, ok for a normal one, with value and sample time', async () => {
      const before = Date.now();
      await publish(topics.furnace, '{"value": 95.5}');
      await until(() => view.machine('furnace') === 'alarm', 'the furnace to show alarm', state);
      expect(signal('furnace/temperature')).toMatchObject({ value: 95.5, health: 'alarm' });
      expect(signal('furnace/temperature').sampleTime).toBeGreaterThanOrEqual(before);
      expect(signal('furnace/temperature').sampleTime).toBeLessThanOrEqual(Date.now());

      await publish(topics.furnace, '72');
      await until(() => view.machine('furnace') === 'ok', 'the furnace to return to ok', state);
      expect(signal('furnace/temperature')).toMatchObject({ value: 72, health: 'ok' });

      // A JSON path into a nested document feeds two signals; the machine is the worst of them.
      await publish(topics.press, JSON.stringify({ data: { force: 600, speed: 12 } }));
      await until(() => view.machine('press') === 'warn', 'the press to show warn', state);
      expect(signal('press/force')).toMatchObject({ value: 600, health: 'warn' });
      expect(signal('press/speed')).toMatchObject({ value: 12, health: 'ok' });

      // The low side of the limits counts too.
      await publish(topics.pump, '{"value": 1}');
      await until(() => view.machine('pump') === 'alarm', 'the pump to show low-flow alarm', state);

      // A late joiner's snapshot agrees with the frames.
      const snapshot = source!.snapshot();
      expect(snapshot.full).toBe(true);
      expect(snapshot.machineHealth.slice(0, 2)).toEqual([Health.ok, Health.warn]);
      expect(snapshot.signalValue[source!.describePlant().signalKeys.indexOf('furnace/temperature')]).toBe(72);
    });

    it('marks a silent machine stale after its timeout, and not before', async () => {
      await publish(topics.furnace, '50');
      await until(() => signal('furnace/temperature').value === 50 && view.machine('furnace') === 'ok', 'the furnace sample', state);
      const sampleTime = signal('furnace/temperature').sampleTime;

      await until(() => view.machine('furnace') === 'stale', 'the furnace to go stale', state, 5000);
      const becameStale = Date.now();
      // staleAfter is 1 s: not before it, and soon after it (generous bound for a loaded machine).
      expect(becameStale - sampleTime).toBeGreaterThanOrEqual(1000);
      expect(becameStale - sampleTime).toBeLessThan(4000);
      for (const frame of view.frames) {
        const position = frame.machineIndex.indexOf(machineIndex.furnace);
        if (position >= 0 && frame.machineHealth[position] === Health.stale) expect(frame.time - sampleTime).toBeGreaterThanOrEqual(1000);
      }
      expect(source!.snapshot().machineHealth[machineIndex.furnace]).toBe(Health.stale);

      // A new sample makes it fresh again.
      await publish(topics.furnace, '51');
      await until(() => view.machine('furnace') === 'ok', 'the furnace to become fresh again', state);
    });

    it('shows every machine offline while the broker is down, reconnects when it is back, and samples flow again', async () => {
      await publish(topics.furnace, '20');
      await publish(topics.press, '{"data":{"force":10,"speed":1}}');
      await until(() => view.machine('furnace') === 'ok' && view.machine('press') === 'ok', 'fresh machines', state);

      await broker!.stop();
      await until(() => Object.values(view.machines()).every((health) => health === 'offline'), 'every machine offline', state);
      expect(source!.snapshot().machineHealth).toEqual([Health.offline, Health.offline, Health.offline]);
      await until(() => connectionEvents.some((event) => event[0]?.state === 'reconnecting'), 'a reconnecting status', () => connectionEvents);
      const reconnecting = connectionEvents.find((event) => event[0]?.state === 'reconnecting')![0]!;
      expect(reconnecting.reconnectAttempts).toBeGreaterThanOrEqual(1);
      expect(reconnecting.url).toBe(broker!.url);
      // Attempts keep going (fast policy) while the broker is away, and health stays offline.
      await until(() => (source!.connections()[0]?.reconnectAttempts ?? 0) >= 2, 'a second reconnect attempt', state);
      expect(view.machines()).toEqual({ furnace: 'offline', press: 'offline', pump: 'offline' });

      await broker!.restart();
      const restarted = Date.now();
      // The subscriptions count once the broker acknowledged them, a moment after the connection.
      await until(() => source!.connections()[0]?.state === 'connected' && source!.connections()[0]?.subscriptions === 3, 'the source to reconnect and subscribe', state);
      expect(connectionEvents.at(-1)?.[0]).toMatchObject({ state: 'connected', reconnectAttempts: 0, subscriptions: 3, warnings: [] });
      // Back on line, health is computed from the samples again (ok or stale by their age), no longer offline.
      await until(() => Object.values(view.machines()).every((health) => health !== 'offline'), 'machines to leave offline', state);

      // Resubscribed: new samples arrive and drive health again.
      await publishUntil(topics.furnace, '93', () => signal('furnace/temperature').value === 93 && signal('furnace/temperature').sampleTime >= restarted, 'a furnace sample after the restart');
      await until(() => view.machine('furnace') === 'alarm', 'the furnace to show alarm after the restart', state);
    });

    it('counts bad input per kind with its topic, keeps running, and other machines keep updating', async () => {
      const baseline = source!.diagnostics();
      let pumpValue = 100;
      /** A good sample on another machine, which must arrive after each bad one. */
      const pumpStillUpdates = async () => {
        pumpValue++;
        await publish(topics.pump, JSON.stringify({ value: pumpValue }));
        await until(() => signal('pump/flow').value === pumpValue, `pump sample ${pumpValue}`, state);
      };
      const problemCount = (kind: keyof typeof baseline.problemCounts) => source!.diagnostics().problemCounts[kind] - baseline.problemCounts[kind];
      const lastProblem = () => source!.diagnostics().recentProblems.at(-1);

      await publish(topics.furnace, '{"value": 4');
      await pumpStillUpdates();
      await until(() => problemCount('malformedPayload') === 1, 'a malformed payload to be counted', state);
      expect(lastProblem()).toMatchObject({ kind: 'malformedPayload', topic: topics.furnace, brokerId: 'default' });

      await publish(topics.furnace, '{"value":"hot"}');
      await pumpStillUpdates();
      await until(() => problemCount('wrongType') === 1, 'a wrong type to be counted', state);
      expect(lastProblem()).toMatchObject({ kind: 'wrongType', topic: topics.furnace });
      expect(lastProblem()?.detail).toContain('hot');

      await publish(topics.press, '{"data":{"speed":3}}');
      await pumpStillUpdates();
      await until(() => problemCount('missingField') === 1, 'a missing field to be counted', state);
      expect(lastProblem()).toMatchObject({ kind: 'missingField', topic: topics.press });
      expect(signal('press/speed').value).toBe(3);

      // Unknown topic, fed straight in: the broker path never delivers one (see below).
      source!.ingest(0, 'unknown/topic', Buffer.from('{"value": 1}'));
      expect(problemCount('unknownTopic')).toBe(1);
      expect(lastProblem()).toMatchObject({ kind: 'unknownTopic', topic: 'unknown/topic' });

      // Over the wire, a topic the plant does not name is not subscribed, so it is not even received.
      const received = source!.diagnostics().messagesReceived;
      await publish('test/unknown/topic', '{"value": 1}');
      await pumpStillUpdates();
      expect(source!.diagnostics().messagesReceived).toBe(received + 1);
      expect(problemCount('unknownTopic')).toBe(1);

      // Just over the plant's limit: valid JSON that would read as 1, dropped unread.
      const justOver = JSON.stringify({ value: 1, padding: 'x'.repeat(maxPayloadBytes) });
      await publish(topics.furnace, justOver);
      await pumpStillUpdates();
      await until(() => problemCount('oversizePayload') === 1, 'a payload just over the limit to be counted', state);
      expect(lastProblem()).toMatchObject({ kind: 'oversizePayload', topic: topics.furnace });
      expect(lastProblem()?.detail).toContain(String(Buffer.byteLength(justOver)));

      // 10 MB on a real topic: both Aedes and mosquitto (default message_size_limit: unlimited) relay it;
      // the host counts and drops it.
      const tenMegabytes = JSON.stringify({ value: 1, padding: 'x'.repeat(10 * 1024 * 1024) });
      await publish(topics.furnace, tenMegabytes);
      await pumpStillUpdates();
      await until(() => problemCount('oversizePayload') === 2, 'a 10 MB payload to be counted', state, 15_000);
      expect(lastProblem()?.detail).toContain(String(Buffer.byteLength(tenMegabytes)));
      expect(signal('furnace/temperature').value).not.toBe(1);

      // Through all of it the source stayed connected and accepted every good sample.
      expect(source!.connections()[0]?.state).toBe('connected');
      const diagnostics = source!.diagnostics();
      expect(diagnostics.problemCounts).toEqual({
        ...baseline.problemCounts,
        malformedPayload: baseline.problemCounts.malformedPayload + 1,
        wrongType: baseline.problemCounts.wrongType + 1,
        missingField: baseline.problemCounts.missingField + 1,
        unknownTopic: baseline.problemCounts.unknownTopic + 1,
        oversizePayload: baseline.problemCounts.oversizePayload + 2,
      });
      expect(diagnostics.recentProblems.slice(-6).map((problem) => [problem.kind, problem.topic])).toEqual([
        ['malformedPayload', topics.furnace],
        ['wrongType', topics.furnace],
        ['missingField', topics.press],
        ['unknownTopic', 'unknown/topic'],
        ['oversizePayload', topics.furnace],
        ['oversizePayload', topics.furnace],
      ]);
      await publish(topics.furnace, '85');
      await until(() => view.machine('furnace') === 'warn', 'the furnace to still update after all the bad input', state);
    }, 40_000);
  });
});

describe('LiveSource with broker credentials', () => {
  const password = 's3cret-Pa55';
  const username = 'viewer';
  const plantWith = (url: string) =>
    parsePlantOrThrow(`name: Secured line
brokers: [{ id: line, url: "${url}" }]
machines: [{ id: m, name: M, area: A, line: L, primitive: { shape: box }, signals: [{ id: s, topic: secured/m/s }] }]
`);

  it('connects with the credentials in the URL, yet shows and reports the URL without them', async () => {
    const accepted: string[] = [];
    const broker = await Aedes.createBroker({
      authenticate: (_client, user, pass, done) => {
        const ok = user === username && pass?.toString('utf8') === password;
        if (ok) accepted.push(String(user));
        done(null, ok);
      },
    });
    const server = createServer(broker.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const source = new LiveSource({ plant: plantWith(`mqtt://${username}:${password}@127.0.0.1:${port}`), reconnectPolicy });
    const events: ConnectionStatus[][] = [];
    source.subscribe('connection', (connections) => events.push(connections));
    try {
      source.start();
      await until(() => source.connections()[0]?.state === 'connected', 'the source to connect with its credentials', () => source.connections());
      expect(accepted).toEqual([username]);
      expect(source.connections()[0]!.url).toBe(`mqtt://127.0.0.1:${port}`);
      const shown = JSON.stringify([source.describePlant(), source.connections(), events]);
      expect(shown).not.toContain(password);
      expect(shown).not.toContain(username);
    } finally {
      await source.stop();
      await new Promise<void>((resolve) => broker.close(() => server.close(() => resolve())));
    }
  });

  it('refuses a URL MQTT.js cannot use with a message that names the broker but not its credentials', () => {
    const source = new LiveSource({ plant: plantWith(`mqtt://${username}:${password}@127.0.0.1:99999`) });
    let message = '';
    try {
      source.start();
    } catch (error) {
      message = (error as Error).message;
    }
    void source.stop();
    expect(message).toContain('broker "line" at mqtt://127.0.0.1:99999');
    expect(message).not.toContain(password);
    expect(message).not.toContain(username);
  });
});

describe('LiveSource boundaries', () => {
  it('reports a frame listener that throws, and still delivers to the others and keeps cutting frames', async () => {
    const plant = parsePlantOrThrow('name: Boundary\nmachines: [{ id: m, name: M, area: A, line: L, primitive: { shape: box }, signals: [{ id: s, topic: t/s }] }]\n');
    const logged: string[] = [];
    const source = new LiveSource({ plant, defaultBrokerUrl: 'mqtt://127.0.0.1:9', frameIntervalMs: 10, log: (line) => logged.push(line), reconnectPolicy: { firstDelayMs: 60_000, maxDelayMs: 60_000 } });
    const received: number[] = [];
    source.subscribe('frame', () => {
      throw new Error('a view that fails');
    });
    source.subscribe('frame', (frame) => received.push(frame.time));
    source.start();
    try {
      source.ingest(0, 't/s', Buffer.from('1'));
      for (let waited = 0; received.length === 0 && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      source.ingest(0, 't/s', Buffer.from('2'));
      for (let waited = 0; received.length < 2 && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(received.length).toBeGreaterThanOrEqual(2);
      expect(logged.some((line) => /delivering a frame event failed: Error: a view that fails/.test(line))).toBe(true);
    } finally {
      await source.stop();
    }
  });
});
