import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { healthStates, type HealthCode } from '../common/health.ts';
import { resolveBrokers } from '../common/resolve-brokers.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.ts';
import { LiveSource } from './live-source.ts';
import { SparkplugEdgeNode } from './sparkplug-edge-node.ts';
import { decodeSparkplugPayload, encodeSparkplugPayload, exactInteger } from './sparkplug/sparkplug-payload-codec.ts';
import { testPlant } from './testing/test-plants.ts';
import { until } from './testing/until.ts';

const plant = testPlant({
  name: 'Edge node test plant',
  brokers: [{ id: 'utilities', sparkplug: { hostId: 'edge-test-host', primary: true } }],
  machines: [
    {
      id: 'pump',
      area: 'Utilities',
      line: 'Water',
      signals: [{ id: 'pressure', sparkplug: { group: 'Utilities', node: 'gateway', device: 'pump', metric: 'pressure' }, period: 0.1, staleAfter: 60 }],
    },
    {
      id: 'tank',
      area: 'Utilities',
      line: 'Hydraulics',
      primitive: { shape: 'cylinder' },
      signals: [{ id: 'level', sparkplug: { group: 'Utilities', node: 'gateway', metric: 'tank/level' }, period: 0.1, staleAfter: 60 }],
    },
  ],
});

describe('SparkplugEdgeNode, watched by the host through LiveSource over Aedes', () => {
  let broker: EmbeddedBroker;
  let source: LiveSource | undefined;
  let nodes: SparkplugEdgeNode[];
  let observer: MqttClient;
  let received: Array<{ topic: string; payload: Buffer }>;
  let values: number[];
  let machineHealth: number[];
  let counter: number;

  const bdSeqOf = (payload: Buffer) => {
    const decoded = decodeSparkplugPayload(payload);
    if (!decoded.ok) throw new Error(decoded.detail);
    const metric = decoded.payload.metrics!.find((candidate) => candidate.name === 'bdSeq')!;
    return exactInteger(metric.longValue);
  };
  const births = () => received.filter((message) => message.topic === 'spBv1.0/Utilities/NBIRTH/gateway');
  const startSource = () => {
    source = new LiveSource({ plant, brokerUrls: { utilities: broker.url }, reconnectPolicy: { firstDelayMs: 100, maxDelayMs: 300 }, log: () => undefined });
    source.subscribe('frame', (frame) => {
      frame.signalIndex.forEach((signal, position) => (values[signal] = frame.signalValue[position]!));
      frame.machineIndex.forEach((machine, position) => (machineHealth[machine] = frame.machineHealth[position]!));
    });
    source.start();
  };
  const state = () => ({ values, health: machineHealth.map((code) => healthStates[code as HealthCode]), births: nodes.map((node) => node.births()), diagnostics: source?.diagnostics().problemCounts });

  beforeEach(async () => {
    broker = await startEmbeddedBroker();
    received = [];
    values = [0, 0];
    machineHealth = [0, 0];
    counter = 0;
    observer = await mqtt.connectAsync(broker.url, { clientId: `observer-${process.pid}`, reconnectPeriod: 0 });
    observer.on('message', (topic, payload) => received.push({ topic, payload: Buffer.from(payload) }));
    await observer.subscribeAsync({ 'spBv1.0/#': { qos: 1 } });
    const { brokers } = resolveBrokers(plant, { utilities: broker.url });
    // Each value is new: pressure counts up, the level stays 42.
    nodes = SparkplugEdgeNode.forPlant(plant, brokers, (machineIndex) => (machineIndex === 0 ? ++counter : 42));
    expect(nodes).toHaveLength(1);
  });

  afterEach(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await source?.stop();
    source = undefined;
    await observer.endAsync(true);
    await broker.close();
  });

  it('waits for its primary host\'s STATE before its birth, then feeds the host by alias', async () => {
    nodes.forEach((node) => node.start());
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(births()).toHaveLength(0);
    startSource();
    await until(() => values[0]! > 0 && values[1] === 42, 'the edge node\'s values in the host\'s frames', state);
    const first = values[0]!;
    await until(() => values[0]! > first + 2, 'data by alias after the birth', state);
    expect(healthStates[machineHealth[0] as HealthCode]).toBe('ok');
    expect(source!.diagnostics().problemCounts).toMatchObject({ dataBeforeBirth: 0, unknownAlias: 0, malformedPayload: 0 });
    // Data carries aliases only.
    const data = received.find((message) => message.topic === 'spBv1.0/Utilities/DDATA/gateway/pump')!;
    const decoded = decodeSparkplugPayload(data.payload);
    expect(decoded.ok && decoded.payload.metrics!.every((metric) => !Object.hasOwn(metric, 'name') && Object.hasOwn(metric, 'alias'))).toBe(true);
  });

  it('answers a Rebirth NCMD, and after its socket dies its will (NDEATH, same bdSeq as the birth) turns the machines stale until its next birth', async () => {
    startSource();
    await until(() => source!.connections()[0]?.state === 'connected', 'the host to connect', state);
    nodes.forEach((node) => node.start());
    await until(() => values[1] === 42, 'the birth', state);
    const before = nodes[0]!.births();
    await observer.publishAsync('spBv1.0/Utilities/NCMD/gateway', encodeSparkplugPayload({ timestamp: Date.now(), metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] }), { qos: 0 });
    await until(() => nodes[0]!.births() === before + 1, 'a rebirth', state);
    const birthBdSeq = bdSeqOf(births().at(-1)!.payload);

    // Cut the edge node's socket: no DISCONNECT, so the broker publishes its will.
    (nodes[0] as unknown as { client: MqttClient }).client.stream.destroy();
    const death = await until(() => received.find((message) => message.topic === 'spBv1.0/Utilities/NDEATH/gateway'), 'the NDEATH will', state);
    expect(bdSeqOf(death.payload)).toBe(birthBdSeq);
    await until(() => machineHealth.every((code) => healthStates[code as HealthCode] === 'stale'), 'both machines stale', state);
    // It reconnects with the next bdSeq and is born again: the host shows it once more.
    await until(() => births().length > 0 && bdSeqOf(births().at(-1)!.payload) === (birthBdSeq! + 1) % 256, 'a birth with the next bdSeq', state);
    await until(() => machineHealth.every((code) => healthStates[code as HealthCode] === 'ok'), 'both machines ok again', state);
    // The new connection registered a will with the new bdSeq: its death matches its birth too.
    const deaths = () => received.filter((message) => message.topic === 'spBv1.0/Utilities/NDEATH/gateway');
    (nodes[0] as unknown as { client: MqttClient }).client.stream.destroy();
    const second = await until(() => deaths()[1], 'the second NDEATH will', state);
    expect(bdSeqOf(second.payload)).toBe((birthBdSeq! + 1) % 256);
    await until(() => machineHealth.every((code) => healthStates[code as HealthCode] === 'stale'), 'both machines stale again', state);
  });
});
