import { createServer, connect as connectTcp, type AddressInfo, type Server, type Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import tahuProtobuf from 'sparkplug-payload/lib/sparkplugPayloadProto.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FrameBatch } from '../../common/contract.ts';
import { healthStates, type HealthCode } from '../../common/health.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../embedded-broker.ts';
import { LiveSource } from '../live-source.ts';
import type { SparkplugMetricInput } from './sparkplug-payload-codec.ts';
import { bdSeqMetric, nodeDeathPayload, publishAsEdge, type EdgePayload } from '../testing/sparkplug-edge-test.ts';
import { testPlant } from '../testing/test-plants.ts';
import { until } from '../testing/until.ts';

// Two edge nodes of group "Mill": N1 carries the pump (node metrics) and the tank (device D1);
// N2 carries the fan, so that one node's death can be seen to leave the other alone.
const reorderTimeoutSeconds = 1;
const hostId = 'twinline-test';
const plant = testPlant({
  name: 'Sparkplug test plant',
  brokers: [{ id: 'line', sparkplug: { hostId, primary: true, reorderTimeout: reorderTimeoutSeconds } }],
  machines: [
    {
      id: 'pump',
      area: 'Utilities',
      line: 'Water',
      signals: [
        { id: 'pressure', sparkplug: { group: 'Mill', node: 'N1', metric: 'Pump/Pressure' }, staleAfter: 60, limits: { highAlarm: 100 } },
        { id: 'state', sparkplug: { group: 'Mill', node: 'N1', metric: 'Pump/State' }, states: { RUNNING: 1, FAULT: 2 }, staleAfter: 60 },
      ],
    },
    {
      id: 'tank',
      area: 'Utilities',
      line: 'Water',
      primitive: { shape: 'cylinder' },
      signals: [{ id: 'level', sparkplug: { group: 'Mill', node: 'N1', device: 'D1', metric: 'Level' }, scale: 0.1, staleAfter: 60 }],
    },
    {
      id: 'fan',
      area: 'Utilities',
      line: 'Air',
      primitive: { shape: 'sphere' },
      signals: [{ id: 'speed', sparkplug: { group: 'Mill', node: 'N2', metric: 'Speed' }, staleAfter: 60 }],
    },
  ],
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP relay between the host and the broker whose sockets the test can cut as a dead network would. */
async function startRelay(targetPort: number): Promise<{ url: string; cut(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connectTcp({ port: targetPort, host: '127.0.0.1' });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      // A cut relay resets its sockets on purpose; the other side sees the reset, nothing else to do.
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    // resetAndDestroy sends a TCP RST: no DISCONNECT reaches the broker, so it publishes the will.
    cut: () => sockets.forEach((socket) => socket.resetAndDestroy()),
    close: async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Received {
  topic: string;
  payload: Buffer;
  retain: boolean;
  at: number;
}

describe('SparkplugHostApplication through LiveSource, against Aedes', () => {
  let broker: EmbeddedBroker;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let source: LiveSource;
  let edge: MqttClient;
  let observer: MqttClient;
  let received: Received[];
  let signalValue: number[];
  let signalHealth: number[];
  let machineHealth: number[];
  let frames: Array<{ at: number; frame: FrameBatch }>;

  const signalIndex = (key: string) => source.describePlant().signalKeys.indexOf(key);
  const value = (key: string) => signalValue[signalIndex(key)]!;
  const signalState = (key: string) => healthStates[signalHealth[signalIndex(key)] as HealthCode];
  const machineState = (id: string) => healthStates[machineHealth[plant.machines.findIndex((machine) => machine.id === id)] as HealthCode];
  const diagnostics = () => source.diagnostics();
  const state = () => ({ values: signalValue, health: signalHealth.map((code) => healthStates[code as HealthCode]), problems: diagnostics().recentProblems.slice(-5), connections: source.connections() });

  /** Publishes as edge node `node` of group Mill (QoS 1 so that it has reached the broker when this resolves). */
  const send = (type: string, node: string, payload: EdgePayload, device?: string) => publishAsEdge(edge, type, { group: 'Mill', node, device }, payload);
  const nbirth = (node: string, bdSeq: number, metrics: SparkplugMetricInput[]) =>
    send('NBIRTH', node, { seq: 0, metrics: [bdSeqMetric(bdSeq), { name: 'Node Control/Rebirth', type: 'Boolean', value: false }, ...metrics] });
  const n1Birth = (bdSeq = 0) =>
    nbirth('N1', bdSeq, [
      { name: 'Pump/Pressure', alias: 1, type: 'Double', value: 5.5 },
      { name: 'Pump/State', alias: 2, type: 'String', value: 'RUNNING' },
    ]);
  const ncmds = (node: string) => received.filter((message) => message.topic === `spBv1.0/Mill/NCMD/${node}`);
  const arrival = (topic: string, seq: number) => received.find((message) => message.topic === topic && Number(tahuProtobuf.org.eclipse.tahu.protobuf.Payload.decode(message.payload).seq) === seq);

  beforeEach(async () => {
    broker = await startEmbeddedBroker();
    relay = await startRelay(broker.port);
    received = [];
    frames = [];
    observer = await mqtt.connectAsync(broker.url, { clientId: `observer-${process.pid}`, reconnectPeriod: 0 });
    observer.on('message', (topic, payload, packet) => received.push({ topic, payload: Buffer.from(payload), retain: packet.retain, at: performance.now() }));
    await observer.subscribeAsync({ 'spBv1.0/#': { qos: 1 } });
    edge = await mqtt.connectAsync(broker.url, { clientId: `edge-${process.pid}`, reconnectPeriod: 0 });
    source = new LiveSource({ plant, brokerUrls: { line: relay.url }, reconnectPolicy: { firstDelayMs: 100, maxDelayMs: 300 }, log: () => undefined });
    const count = source.describePlant().signalKeys.length;
    signalValue = new Array<number>(count).fill(0);
    signalHealth = new Array<number>(count).fill(0);
    machineHealth = new Array<number>(plant.machines.length).fill(0);
    source.subscribe('frame', (frame) => {
      frames.push({ at: performance.now(), frame });
      frame.signalIndex.forEach((signal, position) => {
        signalValue[signal] = frame.signalValue[position]!;
        signalHealth[signal] = frame.signalHealth[position]!;
      });
      frame.machineIndex.forEach((machine, position) => (machineHealth[machine] = frame.machineHealth[position]!));
    });
    source.start();
    // The host's online STATE comes only after its subscriptions: from then on, nothing an edge node publishes is missed.
    await until(() => received.some((message) => message.topic === `spBv1.0/STATE/${hostId}` && JSON.parse(message.payload.toString()).online === true), 'the host\'s STATE birth', state);
  });

  afterEach(async () => {
    await source.stop();
    await edge.endAsync(true);
    await observer.endAsync(true);
    await relay.close();
    await broker.close();
  });

  it('announces itself online with its will\'s timestamp, and the broker publishes that will when its socket dies', async () => {
    const states = () => received.filter((message) => message.topic === `spBv1.0/STATE/${hostId}`).map((message) => JSON.parse(message.payload.toString()) as { online: boolean; timestamp: number });
    const first = states().at(-1)!;
    expect(first).toEqual({ online: true, timestamp: expect.any(Number) });
    expect(Object.keys(first)).toEqual(['online', 'timestamp']);
    // A late subscriber gets the birth retained.
    const late = await mqtt.connectAsync(broker.url, { clientId: `late-${process.pid}`, reconnectPeriod: 0 });
    const retained: Array<{ payload: string; retain: boolean }> = [];
    late.on('message', (_topic, payload, packet) => retained.push({ payload: payload.toString(), retain: packet.retain }));
    await late.subscribeAsync({ [`spBv1.0/STATE/${hostId}`]: { qos: 1 } });
    await until(() => retained.length > 0, 'the retained STATE');
    expect(retained[0]).toEqual({ payload: JSON.stringify(first), retain: true });
    await late.endAsync(true);

    for (let round = 0; round < 2; round++) {
      const before = states().length;
      relay.cut();
      // The will: offline, with the very timestamp of the birth it ends.
      await until(() => states().slice(before).find((message) => !message.online), 'the STATE will', state);
      const born = states().at(before - 1)!;
      expect(states().slice(before).find((message) => !message.online)).toEqual({ online: false, timestamp: born.timestamp });
      // The host reconnects with a new will and says online again with that connection's timestamp.
      const next = await until(() => states().slice(before).find((message) => message.online), 'the STATE birth after reconnecting', state);
      expect(next.timestamp).toBeGreaterThan(born.timestamp);
    }
    const willMessages = received.filter((message) => message.topic === `spBv1.0/STATE/${hostId}`);
    expect(willMessages.every((message) => message.payload.byteLength < 64)).toBe(true);
  });

  it('shows birth values, data by alias (without a datatype) and by name, and turns a dead node\'s machines stale within 250 ms', async () => {
    await n1Birth(7);
    await send('DBIRTH', 'N1', { seq: 1, metrics: [{ name: 'Level', alias: 3, type: 'Int32', value: 400 }] }, 'D1');
    await nbirth('N2', 1, [{ name: 'Speed', alias: 1, type: 'Float', value: 12 }]);
    await until(() => value('pump/pressure') === 5.5 && value('pump/state') === 1 && value('tank/level') === 40 && value('fan/speed') === 12, 'the birth values', state);
    expect(machineState('pump')).toBe('ok');

    // Sparkplug 3.0 leaves the datatype out of data: encode by hand, with the alias only.
    const Payload = tahuProtobuf.org.eclipse.tahu.protobuf.Payload;
    const bare = Payload.encode(Payload.create({ seq: 2, timestamp: Date.now(), metrics: [Payload.Metric.create({ alias: 1, doubleValue: 150.25 })] })).finish();
    await edge.publishAsync('spBv1.0/Mill/NDATA/N1', Buffer.from(bare), { qos: 1 });
    await send('DDATA', 'N1', { seq: 3, metrics: [{ alias: 3, type: 'Int32', value: 250 }] }, 'D1');
    await send('NDATA', 'N1', { seq: 4, metrics: [{ name: 'Pump/State', type: 'String', value: 'FAULT' }] });
    await until(() => value('pump/pressure') === 150.25 && value('tank/level') === 25 && value('pump/state') === 2, 'the data values', state);
    await until(() => machineState('pump') === 'alarm', 'the pump in alarm', state);

    const deathSent = performance.now();
    const willPayload = nodeDeathPayload(7);
    await edge.publishAsync('spBv1.0/Mill/NDEATH/N1', willPayload, { qos: 1 });
    await until(() => machineState('pump') === 'stale' && machineState('tank') === 'stale', 'N1\'s machines stale', state);
    const staleFrame = frames.find(({ at, frame }) => at >= deathSent && frame.machineIndex.includes(0) && frame.machineIndex.includes(1))!;
    expect(staleFrame.at - deathSent).toBeLessThan(250);
    expect(signalState('pump/pressure')).toBe('stale');
    expect(signalState('pump/state')).toBe('stale');
    expect(signalState('tank/level')).toBe('stale');
    // The other node lives on.
    expect(machineState('fan')).toBe('ok');
    expect(diagnostics().problemCounts).toMatchObject({ unknownAlias: 0, dataBeforeBirth: 0, malformedPayload: 0 });
  });

  it('ignores a death whose bdSeq is not the birth\'s', async () => {
    await n1Birth(3);
    await until(() => value('pump/pressure') === 5.5, 'the birth', state);
    await edge.publishAsync('spBv1.0/Mill/NDEATH/N1', nodeDeathPayload(2), { qos: 1 });
    // The stale death and a later data message travel in order: once the data shows, the death was taken (and ignored).
    await send('NDATA', 'N1', { seq: 1, metrics: [{ alias: 1, type: 'Double', value: 6.5 }] });
    await until(() => value('pump/pressure') === 6.5, 'data after the stale death', state);
    await sleep(100);
    expect(machineState('pump')).toBe('ok');
    await edge.publishAsync('spBv1.0/Mill/NDEATH/N1', nodeDeathPayload(3), { qos: 1 });
    await until(() => machineState('pump') === 'stale', 'the matching death', state);
  });

  it('counts and ignores data before birth, and data of an alias the birth did not define', async () => {
    await send('NDATA', 'N2', { seq: 5, metrics: [{ alias: 1, type: 'Float', value: 99 }] });
    await send('DDATA', 'N1', { seq: 6, metrics: [{ alias: 3, type: 'Int32', value: 99 }] }, 'D1');
    await until(() => diagnostics().problemCounts.dataBeforeBirth === 2, 'data before birth counted', state);
    expect(diagnostics().brokers[0]!.problemCounts.dataBeforeBirth).toBe(2);
    expect(value('fan/speed')).toBe(0);
    expect(value('tank/level')).toBe(0);
    expect(machineState('fan')).toBe('unknown');

    await n1Birth();
    await send('NDATA', 'N1', { seq: 1, metrics: [{ alias: 42, type: 'Double', value: 1 }] });
    await until(() => diagnostics().problemCounts.unknownAlias === 1, 'the unknown alias counted', state);
    // Device data before that device's birth, though its node is born.
    await send('DDATA', 'N1', { seq: 2, metrics: [{ alias: 3, type: 'Int32', value: 99 }] }, 'D1');
    await until(() => diagnostics().problemCounts.dataBeforeBirth === 3, 'device data before its birth counted', state);
    expect(value('tank/level')).toBe(0);
    await edge.publishAsync('spBv1.0/Mill/NDATA/N1', Buffer.from([0x0a, 0xff, 0x01]), { qos: 1 });
    await until(() => diagnostics().problemCounts.malformedPayload === 1, 'the malformed payload counted', state);
  });

  it('reads bad quality and null values as bad, text through states, and refuses non-finite numbers and datasets', async () => {
    await n1Birth();
    await until(() => value('pump/pressure') === 5.5, 'the birth', state);
    await send('NDATA', 'N1', { seq: 1, metrics: [{ alias: 1, type: 'Double', value: 7, properties: { Quality: { type: 'Int32', value: 0 } } }] });
    await until(() => Number.isNaN(value('pump/pressure')), 'bad quality as NaN', state);
    expect(signalState('pump/pressure')).toBe('bad');
    await send('NDATA', 'N1', { seq: 2, metrics: [{ alias: 1, type: 'Double', value: 8, properties: { Quality: { type: 'Int32', value: 192 } } }] });
    await until(() => value('pump/pressure') === 8, 'good quality', state);
    await send('NDATA', 'N1', { seq: 3, metrics: [{ alias: 1, type: 'Double', value: null }] });
    await until(() => Number.isNaN(value('pump/pressure')), 'a null value as NaN', state);
    await send('NDATA', 'N1', { seq: 4, metrics: [{ alias: 1, type: 'Double', value: Number.POSITIVE_INFINITY }, { alias: 2, type: 'String', value: 'EXPLODED' }] });
    await until(() => diagnostics().problemCounts.wrongType === 1 && diagnostics().problemCounts.unknownState === 1, 'infinity and an unknown state refused', state);
    await send('NDATA', 'N1', { seq: 5, metrics: [{ alias: 1, type: 'DataSet', value: { numOfColumns: 1, columns: ['a'], types: ['Int32'], rows: [[1]] } }] });
    await until(() => diagnostics().problemCounts.wrongType === 2, 'a dataset refused', state);
  });

  it('applies a late message in seq order and asks for no rebirth when it arrives within the reorder timeout', async () => {
    await n1Birth();
    await send('NDATA', 'N1', { seq: 1, metrics: [{ alias: 1, type: 'Double', value: 1 }] });
    await send('NDATA', 'N1', { seq: 3, metrics: [{ alias: 1, type: 'Double', value: 3 }] });
    await sleep(reorderTimeoutSeconds * 1000 * 0.4);
    // Held back: 3 waits for 2.
    expect(value('pump/pressure')).toBe(1);
    await send('NDATA', 'N1', { seq: 2, metrics: [{ alias: 1, type: 'Double', value: 2 }] });
    await until(() => value('pump/pressure') === 3, 'the held message applied after the late one', state);
    await sleep(reorderTimeoutSeconds * 1000 * 1.5);
    expect(ncmds('N1')).toHaveLength(0);
    await send('NDATA', 'N1', { seq: 4, metrics: [{ alias: 1, type: 'Double', value: 4 }] });
    await until(() => value('pump/pressure') === 4, 'data after the gap closed', state);
  });

  it('sends a Rebirth NCMD at the reorder timeout when a gap stays open, and ignores the node until its new birth', async () => {
    await n1Birth();
    await send('NDATA', 'N1', { seq: 1, metrics: [{ alias: 1, type: 'Double', value: 1 }] });
    await until(() => value('pump/pressure') === 1, 'the first data', state);
    await send('NDATA', 'N1', { seq: 3, metrics: [{ alias: 1, type: 'Double', value: 3 }] });
    const rebirth = await until(() => ncmds('N1')[0], 'the Rebirth NCMD', state);
    const gapArrival = arrival('spBv1.0/Mill/NDATA/N1', 3)!;
    const elapsed = rebirth.at - gapArrival.at;
    expect(elapsed).toBeGreaterThanOrEqual(reorderTimeoutSeconds * 1000 * 0.9);
    expect(elapsed).toBeLessThanOrEqual(reorderTimeoutSeconds * 1000 * 1.1);
    const command = tahuProtobuf.org.eclipse.tahu.protobuf.Payload.decode(rebirth.payload);
    expect(command.metrics.map((metric) => [metric.name, metric.datatype, metric.booleanValue])).toEqual([['Node Control/Rebirth', 11, true]]);
    expect(rebirth.retain).toBe(false);

    // Until the new birth, the node's data is not shown, and its last values are no longer taken as current.
    await send('NDATA', 'N1', { seq: 4, metrics: [{ alias: 1, type: 'Double', value: 4 }] });
    await sleep(150);
    expect(value('pump/pressure')).not.toBe(4);
    expect(machineState('pump')).toBe('stale');
    await n1Birth();
    await send('NDATA', 'N1', { seq: 1, metrics: [{ alias: 1, type: 'Double', value: 21 }] });
    await until(() => value('pump/pressure') === 21, 'data after the rebirth', state);
    expect(ncmds('N1')).toHaveLength(1);
    await until(() => machineState('pump') === 'ok', 'the pump ok again after its rebirth', state);
    // Its device has not been born again yet.
    expect(machineState('tank')).toBe('stale');
  });

  it('asks again, once per reorder timeout, when a node goes on sending data but never answers the Rebirth NCMD', async () => {
    await n1Birth();
    await send('NDATA', 'N1', { seq: 1, metrics: [{ alias: 1, type: 'Double', value: 1 }] });
    await send('NDATA', 'N1', { seq: 3, metrics: [{ alias: 1, type: 'Double', value: 3 }] });
    await until(() => ncmds('N1').length === 1, 'the first Rebirth NCMD', state);
    // The command is lost: the node keeps publishing data in its old session, 10 messages a second.
    const started = performance.now();
    for (let seq = 4; performance.now() - started < reorderTimeoutSeconds * 1000 * 2.5; seq++) {
      await send('NDATA', 'N1', { seq, metrics: [{ alias: 1, type: 'Double', value: seq }] });
      await sleep(100);
    }
    const commands = ncmds('N1');
    expect(commands.length).toBeGreaterThanOrEqual(2);
    expect(commands.length).toBeLessThanOrEqual(3);
    for (let index = 1; index < commands.length; index++) expect(commands[index]!.at - commands[index - 1]!.at).toBeGreaterThanOrEqual(reorderTimeoutSeconds * 1000 * 0.9);
    expect(machineState('pump')).toBe('stale');
  });

  it('takes no node\'s values as current after the host lost its broker, until that node is born again', async () => {
    await n1Birth();
    await nbirth('N2', 1, [{ name: 'Speed', alias: 1, type: 'Float', value: 12 }]);
    await until(() => machineState('pump') === 'ok' && machineState('fan') === 'ok', 'both nodes born', state);
    const births = () => received.filter((message) => message.topic === `spBv1.0/STATE/${hostId}` && JSON.parse(message.payload.toString()).online === true).length;
    const before = births();
    relay.cut();
    // The host is back (its next STATE birth), but the nodes have not been born in this session.
    await until(() => births() > before, 'the host back online', state);
    await sleep(150);
    expect(machineState('pump')).toBe('stale');
    expect(machineState('fan')).toBe('stale');
    await n1Birth(1);
    await until(() => machineState('pump') === 'ok', 'the pump ok after its new birth', state);
    expect(machineState('fan')).toBe('stale');
  });
});
