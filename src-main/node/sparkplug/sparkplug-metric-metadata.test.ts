import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignalMetadata, TwinlineSource } from '../../common/contract.ts';
import { HostClient } from '../../common/host-client.ts';
import { shownUnit } from '../../common/signal-metadata.ts';
import { serveView } from '../../common/view-session.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../embedded-broker.ts';
import { endpointPair } from '../endpoint-pair.ts';
import { openRecording } from '../open-recording.ts';
import { RecordingReader } from '../recording/recording-reader.ts';
import { startHost, type RunningHost } from '../twinline-host.ts';
import type { SparkplugMetricInput } from './sparkplug-payload-codec.ts';
import { bdSeqMetric, publishAsEdge } from '../testing/sparkplug-edge-test.ts';
import { testPlantText } from '../testing/test-plants.ts';
import { until } from '../testing/until.ts';

// A Sparkplug edge node births metrics with engUnit/engLow/engHigh (Tahu's encoder, a real broker);
// the host passes what they say to views, records it, and gives it back when the recording is opened.
const hostId = 'twinline-metadata';
const plantText = (url: string) =>
  testPlantText({
    name: 'Metadata plant',
    brokers: [{ id: 'line', url, sparkplug: { hostId } }],
    machines: [
      {
        id: 'pump',
        area: 'Utilities',
        line: 'Water',
        signals: [
          { id: 'pressure', sparkplug: { group: 'Mill', node: 'N1', metric: 'Pump/Pressure' }, staleAfter: 60 },
          { id: 'temperature', sparkplug: { group: 'Mill', node: 'N1', metric: 'Pump/Temperature' }, unit: '°C', staleAfter: 60 },
          { id: 'flow', sparkplug: { group: 'Mill', node: 'N1', metric: 'Pump/Flow' }, staleAfter: 60 },
        ],
      },
      {
        id: 'tank',
        area: 'Utilities',
        line: 'Water',
        primitive: { shape: 'cylinder' },
        signals: [{ id: 'level', sparkplug: { group: 'Mill', node: 'N1', device: 'D1', metric: 'Level' }, scale: 0.1, staleAfter: 60 }],
      },
    ],
  });

/** A view of `source` as the transports carry it: a HostClient on one end of a channel, the host's session on the other. */
function connectView(source: TwinlineSource): { client: HostClient; streamed: SignalMetadata[][]; close(): void } {
  const [hostSide, viewSide] = endpointPair();
  const end = serveView(hostSide, source, (problem) => expect.fail(problem));
  const client = new HostClient(viewSide);
  const streamed: SignalMetadata[][] = [];
  client.subscribe('metadata', (metadata) => streamed.push(metadata));
  return {
    client,
    streamed,
    close: () => {
      end();
      client.close();
    },
  };
}

describe('engineering units and ranges from Sparkplug metric properties', () => {
  let folder: string;
  let broker: EmbeddedBroker;
  let host: RunningHost | undefined;
  let edge: MqttClient;
  let seq = 0;
  let view: ReturnType<typeof connectView>;
  let index: (key: string) => number;

  const publish = async (type: 'NBIRTH' | 'NDATA' | 'DBIRTH' | 'DDATA', metrics: SparkplugMetricInput[], device?: string) => {
    const payloadSeq = type === 'NBIRTH' ? 0 : seq;
    seq = (payloadSeq + 1) % 256;
    await publishAsEdge(edge, type, { group: 'Mill', node: 'N1', device }, { seq: payloadSeq, metrics });
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'twinline-metadata-'));
    broker = await startEmbeddedBroker();
    writeFileSync(join(folder, 'plant.yaml'), plantText(broker.url));
    const states: string[] = [];
    const watcher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    watcher.on('message', (_topic, payload) => states.push(payload.toString()));
    await watcher.subscribeAsync({ [`spBv1.0/STATE/${hostId}`]: { qos: 1 } });
    host = await startHost({ plantFile: join(folder, 'plant.yaml'), simulate: false, stageOutages: false, recording: { directory: join(folder, 'recordings'), commitIntervalMs: 100 } });
    // The host's online STATE follows its subscriptions: from then on no birth is missed.
    await until(() => states.some((state) => JSON.parse(state).online === true), "the host's STATE birth");
    await watcher.endAsync(true);
    const keys = host.source.describePlant().signalKeys;
    index = (key) => keys.indexOf(key);
    view = connectView(host.createViewSource());
    await view.client.request('getPlant', {});
    edge = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    await publish('NBIRTH', [
      bdSeqMetric(0),
      { name: 'Pump/Pressure', alias: 1, type: 'Double', value: 5.5, properties: { engUnit: { type: 'String', value: 'bar' }, engLow: { type: 'Double', value: 0 }, engHigh: { type: 'Double', value: 16 } } },
      { name: 'Pump/Temperature', alias: 2, type: 'Float', value: 150, properties: { engUnit: { type: 'String', value: 'degF' }, engLow: { type: 'Int32', value: -40 }, engHigh: { type: 'Int64', value: 400 } } },
      // No properties: the source says nothing about it.
      { name: 'Pump/Flow', alias: 3, type: 'Double', value: 12 },
    ]);
    await publish('DBIRTH', [{ name: 'Level', alias: 1, type: 'Int32', value: 420, properties: { engUnit: { type: 'String', value: '%' }, engLow: { type: 'Float', value: 0 }, engHigh: { type: 'Float', value: 1000 } } }], 'D1');
  }, 30_000);

  afterAll(async () => {
    view?.close();
    await edge?.endAsync(true);
    await host?.stop();
    await broker?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const birthMetadata = (): SignalMetadata[] => [
    { signal: index('pump/pressure'), unit: 'bar', low: 0, high: 16 },
    { signal: index('pump/temperature'), unit: 'degF', low: -40, high: 400 },
    // The device's range in its own units (0–1000) goes through the signal's scale of 0.1, as its values do.
    { signal: index('tank/level'), unit: '%', low: 0, high: 100 },
  ];

  it('reach a connected view on its metadata stream, and a view that connects later in getStatus', async () => {
    const latest = await until(() => view.streamed.at(-1)?.length === 3 && view.streamed.at(-1), 'the births\' metadata on the stream');
    expect(latest).toEqual(birthMetadata());
    const later = connectView(host!.createViewSource());
    try {
      expect((await later.client.request('getStatus', {})).metadata).toEqual(birthMetadata());
    } finally {
      later.close();
    }
  });

  it("show the plant file's unit where it gives one, and the source's where it gives none", () => {
    const plant = host!.source.describePlant().plant;
    const metadata = new Map(view.streamed.at(-1)!.map((entry) => [entry.signal, entry]));
    const unitOf = (machine: number, signal: number, key: string) => shownUnit(plant.machines[machine]!.signals[signal]!.unit, metadata.get(index(key)));
    expect(unitOf(0, 0, 'pump/pressure')).toBe('bar');
    expect(unitOf(0, 1, 'pump/temperature')).toBe('°C');
    expect(unitOf(0, 2, 'pump/flow')).toBe('');
    expect(unitOf(1, 0, 'tank/level')).toBe('%');
  });

  it('change when data carries new properties, and only then', async () => {
    const before = view.streamed.length;
    // A Quality alone says nothing of the unit or range.
    await publish('NDATA', [{ alias: 1, type: 'Double', value: 6, properties: { Quality: { type: 'Int32', value: 192 } } }]);
    await publish('NDATA', [{ alias: 1, type: 'Double', value: 7, properties: { engHigh: { type: 'Double', value: 25 } } }]);
    const latest = await until(() => view.streamed.length > before && view.streamed.at(-1)!.find((entry) => entry.signal === index('pump/pressure'))?.high === 25 && view.streamed.at(-1), 'the new range');
    expect(view.streamed.length).toBe(before + 1);
    expect(latest[0]).toEqual({ signal: index('pump/pressure'), unit: 'bar', low: 0, high: 25 });
  });

  let recordingFile: string;

  it('are recorded, and a view of the opened recording gets the same', async () => {
    const expected = (await view.client.request('getStatus', {})).metadata;
    expect(expected[0]!.high).toBe(25);
    // The next commit writes the row; stopping the host closes the file whole. On a loaded machine the
    // recording worker may not have made its file yet, so its name is read once samples are in it.
    await until(() => host!.recorder!.status().samplesTotal >= 5 && host!.recorder!.currentFile() !== undefined, 'the samples recorded');
    recordingFile = host!.recorder!.currentFile()!;
    await host!.stop();
    host = undefined;
    const database = new DatabaseSync(recordingFile, { readOnly: true });
    try {
      expect(JSON.parse(String(database.prepare("SELECT value FROM meta WHERE key = 'signalMetadata'").get()?.value))).toEqual(expected);
    } finally {
      database.close();
    }
    const opened = await openRecording(recordingFile, (line) => expect.fail(line));
    const replay = connectView(opened.createViewSource());
    try {
      expect((await replay.client.request('getStatus', {})).metadata).toEqual(expected);
      expect((await replay.client.request('getPlayer', {})).mode).toBe('replay');
    } finally {
      replay.close();
      opened.close();
    }
  });

  it.each([
    ['not JSON', '{"signal":'],
    ['not a list', '{"signal":0,"unit":"bar"}'],
    ['a signal the plant does not have', '[{"signal":4,"unit":"bar"}]'],
    ['a signal twice', '[{"signal":0,"unit":"bar"},{"signal":0,"unit":"psi"}]'],
    ['a range the wrong way round', '[{"signal":0,"low":16,"high":0}]'],
    ['a unit of 200 characters', JSON.stringify([{ signal: 0, unit: 'x'.repeat(200) }])],
    ['an unknown field', '[{"signal":0,"unit":"bar","script":"alert(1)"}]'],
    ['10 MB of entries', `[${'{"signal":0},'.repeat(800_000)}{"signal":0}]`],
    ['a number instead of text', 42],
    ['a blob', new Uint8Array([0x5b, 0x5d])],
  ])('a recording whose metadata row is %s opens with none', async (_what, value) => {
    const file = join(folder, 'recordings', 'twinline-20000101-000000Z.twinline');
    rmSync(file, { force: true });
    copyFileSync(recordingFile, file);
    const database = new DatabaseSync(file);
    // The copy holds the real row (see the test above): it is what is replaced.
    expect(database.prepare("UPDATE meta SET value = ? WHERE key = 'signalMetadata'").run(value).changes).toBe(1);
    database.close();
    const reader = new RecordingReader(file);
    try {
      expect(reader.signalMetadata()).toEqual([]);
    } finally {
      reader.close();
    }
    const opened = await openRecording(file, (line) => expect.fail(line));
    const replay = connectView(opened.createViewSource());
    try {
      const status = await replay.client.request('getStatus', {});
      expect(status.metadata).toEqual([]);
      // The rest of the recording replays as ever.
      expect((await replay.client.request('getSnapshot', {})).signalValue.length).toBe(4);
    } finally {
      replay.close();
      opened.close();
    }
  });
});
