import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FrameBatch } from '../common/contract.ts';
import { emptyProblemCounts } from '../common/contract.ts';
import { Health } from '../common/health.ts';
import { openRecording } from './open-recording.ts';
import { RecordingReader } from './recording/recording-reader.ts';
import { sessionFiles } from './recording/recording-sequence.ts';
import { parseBrokerArguments, startHost, type RunningHost } from './twinline-host.ts';
import { startAuthenticatingBroker, type AuthenticatingBroker } from './testing/authenticating-broker.ts';
import { connectCapturingView } from './testing/capturing-view.ts';
import { recordedPlantText, secretsIn } from './testing/secret-search.ts';
import { until } from './testing/until.ts';

describe('parseBrokerArguments', () => {
  it('reads a bare URL as the first broker and ID=URL as a named one', () => {
    expect(parseBrokerArguments(['mqtt://10.0.0.5:1883', 'utilities=mqtts://gw:8883'])).toEqual({ '': 'mqtt://10.0.0.5:1883', utilities: 'mqtts://gw:8883' });
  });

  it('refuses what is neither', () => {
    expect(() => parseBrokerArguments(['10.0.0.5:1883'])).toThrow(/--broker takes URL or ID=URL/);
  });
});

describe('the demo host', () => {
  let host: RunningHost | undefined;
  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  it('runs out of the box: embedded brokers, simulated telemetry, every machine fresh within seconds', async () => {
    host = await startHost();
    const source = host.source;
    expect(source.describePlant().plant.machines.length).toBeGreaterThanOrEqual(24);
    const fresh = new Set<number>([Health.ok, Health.warn, Health.alarm]);
    await expect
      .poll(() => {
        const snapshot: FrameBatch = source.snapshot();
        return snapshot.machineHealth.filter((health) => fresh.has(health)).length;
      }, { timeout: 10_000, interval: 250 })
      .toBe(source.describePlant().plant.machines.length);
    expect(source.connections().map((connection) => [connection.brokerId, connection.state])).toEqual([
      ['mill', 'connected'],
      ['utilities', 'connected'],
    ]);
    expect(source.diagnostics().problemCounts).toEqual(emptyProblemCounts());
    // The utilities gateway is a Sparkplug edge network whose births announce units and ranges, as real ones do.
    const order = source.describePlant().signalKeys;
    const pumpPressure = order.indexOf('pump-1/discharge-pressure');
    expect(source.metadata().find((entry) => entry.signal === pumpPressure)).toEqual({ signal: pumpPressure, unit: 'bar', low: 0, high: 13 });
  });
});

describe('what views are told of the plant', () => {
  it('never includes broker credentials', async () => {
    const { LiveSource } = await import('./live-source.ts');
    const { parsePlantOrThrow } = await import('../common/parse-plant.ts');
    const plant = parsePlantOrThrow(`name: Secret line
brokers: [{ id: line, url: "mqtt://viewer:hunter2@10.0.0.5:1883", username: viewer, password: hunter2 }]
machines: [{ id: m, name: M, area: A, line: L, primitive: { shape: box } }]
`);
    const description = new LiveSource({ plant }).describePlant();
    expect(JSON.stringify(description)).not.toContain('hunter2');
    expect(JSON.stringify(description)).not.toContain('viewer');
    expect(description.plant.brokers).toEqual([{ id: 'line', protocol: 4, url: 'mqtt://10.0.0.5:1883' }]);
  });
});

describe('broker credentials written in the plant file', () => {
  const password = 's3cret-Pa55';
  const username = 'viewer';
  const wrongPassword = 'wr0ng-Pa55';
  const intruder = 'intruder';
  const secrets = [password, username, wrongPassword, intruder];
  let folder: string;
  let broker: AuthenticatingBroker | undefined;
  let host: RunningHost | undefined;
  let publisher: MqttClient | undefined;
  let plantText: string;
  let recordingFile: string;
  let viewMessages: unknown[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'twinline-credentials-'));
    // A broker that lets in only the plant's credentials: the host connecting proves they are still used.
    broker = await startAuthenticatingBroker((user, given) => user === username && given === password);
    const port = broker.port;
    plantText = `# Line 2, watched with the viewer account
name: Secret line
brokers:
  - id: line
    url: mqtt://${username}:${password}@127.0.0.1:${port}
    username: ${username}
    password: ${password}
  # Refused by the broker: its error reaches views as lastError.
  - id: utilities
    url: mqtt://${intruder}:${wrongPassword}@127.0.0.1:${port}
machines:
  - id: press
    name: Press
    area: Body shop
    line: Line 2
    primitive: { shape: box }
    signals:
      - { id: force, topic: secret-line/press/force, broker: line }
`;
    writeFileSync(join(folder, 'plant.yaml'), plantText);
    host = await startHost({
      plantFile: join(folder, 'plant.yaml'),
      simulate: false,
      stageOutages: false,
      recording: { directory: join(folder, 'recordings'), commitIntervalMs: 100 },
    });
    publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username, password, reconnectPeriod: 0 });
    let value = 0;
    // Each poll publishes one more sample, every 50 ms: as many as the recorder needs, and no flood.
    await until(async () => {
      await publisher!.publishAsync('secret-line/press/force', String(value++), { qos: 1 });
      return host!.recorder!.status().samplesTotal >= 3;
    }, 'three samples recorded', undefined, 10_000, 50);
    recordingFile = host.recorder!.currentFile()!;

    // A view over the same contract the transports carry: everything the host sends it is kept.
    const view = connectCapturingView(host.createViewSource(), (problem) => expect.fail(problem));
    viewMessages = view.messages;
    const ask = view.ask;
    await ask(1, 'subscribe', { streams: ['frame', 'connection', 'diagnostics', 'player'] });
    expect(await ask(2, 'getPlant')).toMatchObject({ ok: true });
    expect(await ask(3, 'getStatus')).toMatchObject({ ok: true });
    await ask(4, 'listRecordings');
    // The refused broker has said why, on the connection stream.
    await until(() => viewMessages.some((message) => (message as { stream?: string }).stream === 'connection' && JSON.stringify(message).includes('lastError')), 'the refused broker on the connection stream');
    // Replaying what was recorded hands the view the recording's plant and player state too.
    expect(await ask(5, 'player', { action: 'replay' })).toMatchObject({ ok: true });
    expect(await ask(6, 'getPlayer')).toMatchObject({ ok: true, result: { mode: 'replay' } });
    await ask(7, 'getPlant');
    view.close();
  }, 40_000);

  afterAll(async () => {
    await publisher?.endAsync(true);
    await host?.stop();
    await broker?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('connects with them', () => {
    expect(broker!.authenticated).toContain(username);
    expect(host!.source.connections().find((connection) => connection.brokerId === 'line')?.state).toBe('connected');
  });

  it('are written nowhere in the recording: neither the database file nor its write-ahead log', () => {
    const files = [recordingFile, `${recordingFile}-wal`].filter((file) => existsSync(file));
    expect(files.length).toBe(2);
    for (const file of files) expect(secretsIn(readFileSync(file), secrets), file).toEqual([]);
    const embedded = recordedPlantText(recordingFile);
    expect(embedded).toContain('password: "<redacted>"');
    // The plant file as written otherwise, comments included.
    expect(embedded).toContain('# Line 2, watched with the <redacted> account\nname: Secret line\n');
  });

  it('reach no view: plant, status, connection stream, player and recordings list', () => {
    expect(viewMessages.length).toBeGreaterThan(5);
    const sent = JSON.stringify(viewMessages);
    expect(sent).toContain('"url":"mqtt://127.0.0.1:');
    expect(secrets.filter((secret) => sent.includes(secret))).toEqual([]);
  });

  it('are taken out of a recording made before the fix when it is opened, and it stays in one session with newer files', async () => {
    await host!.stop();
    host = undefined;
    const recordings = dirname(recordingFile);
    // The same recording as an older host wrote it: the plant file's text as it was, credentials and all.
    const oldFile = join(recordings, 'twinline-20000101-000000Z.twinline');
    copyFileSync(recordingFile, oldFile);
    const database = new DatabaseSync(oldFile);
    database.prepare("UPDATE meta SET value = ? WHERE key = 'plantText'").run(plantText);
    database.close();
    expect(secretsIn(readFileSync(oldFile), secrets)).toEqual(secrets);

    const reader = new RecordingReader(oldFile);
    try {
      expect(secrets.filter((secret) => reader.plantText.includes(secret) || JSON.stringify(reader.plant).includes(secret))).toEqual([]);
      expect(reader.plant.brokers.map((entry) => entry.url)).toEqual([expect.stringMatching(/^mqtt:\/\/127\.0\.0\.1:\d+$/), expect.stringMatching(/^mqtt:\/\/127\.0\.0\.1:\d+$/)]);
    } finally {
      reader.close();
    }
    expect(sessionFiles(recordings, recordingFile)).toEqual([oldFile, recordingFile]);
    const opened = await openRecording(oldFile);
    try {
      expect(secrets.filter((secret) => JSON.stringify(opened.description).includes(secret))).toEqual([]);
    } finally {
      opened.close();
    }
  });
});
