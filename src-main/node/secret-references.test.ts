import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCsv } from './recording/export-csv.ts';
import { RecordingReader } from './recording/recording-reader.ts';
import { startHost, type RunningHost } from './twinline-host.ts';
import { startAuthenticatingBroker, type AuthenticatingBroker } from './testing/authenticating-broker.ts';
import { connectCapturingView } from './testing/capturing-view.ts';
import { recordedPlantText, secretsIn } from './testing/secret-search.ts';
import { until } from './testing/until.ts';

// The whole path of a secret given as ${NAME}: filled in from the environment, used to log in to a
// real broker, and then found in nothing the host writes or sends — recording file and WAL, log
// lines, every message a view receives (plant, status, connection and diagnostics streams, replay),
// and a CSV export, through the view and from the file.
describe('broker secrets given as ${NAME} references', () => {
  const username = 'viewer-7c1e0a';
  const password = 'Env-s3cret-94fd21';
  const wrongPassword = 'Env-wr0ng-5b7730';
  // Some brokers take a token in the URL's query (a WebSocket gateway's, say): a secret as much as a password.
  const token = 'Env-t0ken-3e81c9';
  const secrets = [username, password, wrongPassword, token];
  const environment = { TWINLINE_TEST_LINE_USER: username, TWINLINE_TEST_LINE_PASSWORD: password, TWINLINE_TEST_UTILITIES_PASSWORD: wrongPassword, TWINLINE_TEST_LINE_TOKEN: token };
  let folder: string;
  let broker: AuthenticatingBroker | undefined;
  let host: RunningHost | undefined;
  let publisher: MqttClient | undefined;
  const logLines: string[] = [];
  let viewMessages: unknown[] = [];
  let recordingFile: string;
  let viewCsv = '';

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'twinline-secret-references-'));
    // Lets in only the plant's credentials (and the test's publisher): the host connecting proves the references were filled in.
    broker = await startAuthenticatingBroker((user, given) => (user === username && given === password) || (user === 'publisher' && given === 'publisher'));
    const port = broker.port;
    writeFileSync(
      join(folder, 'plant.yaml'),
      `name: Secret line
brokers:
  - id: line
    url: "mqtt://\${TWINLINE_TEST_LINE_USER}:\${TWINLINE_TEST_LINE_PASSWORD}@127.0.0.1:${port}/?token=\${TWINLINE_TEST_LINE_TOKEN}"
    username: "\${TWINLINE_TEST_LINE_USER}"
    password: "\${TWINLINE_TEST_LINE_PASSWORD}"
  # Refused by the broker: its error reaches views and the log.
  - id: utilities
    url: mqtt://127.0.0.1:${port}
    username: "\${TWINLINE_TEST_LINE_USER}"
    password: "\${TWINLINE_TEST_UTILITIES_PASSWORD}"
machines:
  - id: press
    name: Press
    area: Body shop
    line: Line 2
    primitive: { shape: box }
    signals:
      - { id: force, topic: secret-line/press/force, broker: line, unit: kN }
`,
    );
    host = await startHost({
      plantFile: join(folder, 'plant.yaml'),
      environment,
      embedBrokers: false,
      simulate: false,
      stageOutages: false,
      recording: { directory: join(folder, 'recordings'), commitIntervalMs: 100 },
      log: (line) => logLines.push(line),
    });
    publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: 'publisher', password: 'publisher', reconnectPeriod: 0 });
    let value = 0;
    // Each poll publishes one more sample, every 50 ms: as many as the recorder needs, and no flood.
    await until(async () => {
      await publisher!.publishAsync('secret-line/press/force', String(value++), { qos: 1 });
      return host!.recorder!.status().samplesTotal >= 3;
    }, 'three samples recorded', undefined, 10_000, 50);
    recordingFile = host.recorder!.currentFile()!;

    const view = connectCapturingView(host.createViewSource(), (problem) => expect.fail(problem));
    viewMessages = view.messages;
    const ask = view.ask;
    await ask(1, 'subscribe', { streams: ['frame', 'connection', 'diagnostics', 'player'] });
    expect(await ask(2, 'getPlant')).toMatchObject({ ok: true });
    expect(await ask(3, 'getStatus')).toMatchObject({ ok: true });
    await until(
      () => viewMessages.some((message) => (message as { stream?: string }).stream === 'connection' && JSON.stringify(message).includes('"utilities"') && JSON.stringify(message).includes('lastError')),
      'the refused broker on the connection stream',
    );
    await until(() => viewMessages.some((message) => (message as { stream?: string }).stream === 'diagnostics'), 'a diagnostics message', undefined, 15_000);
    const exported = await ask(4, 'exportCsv', { signals: ['press/force'], from: 0, to: Date.now() + 60_000 });
    expect(exported).toMatchObject({ ok: true });
    viewCsv = viewMessages
      .filter((message) => (message as { type?: string }).type === 'chunk')
      .map((message) => (message as { data: string }).data)
      .join('');
    expect(await ask(5, 'player', { action: 'replay' })).toMatchObject({ ok: true });
    await ask(6, 'getPlant');
    view.close();
  }, 40_000);

  afterAll(async () => {
    await publisher?.endAsync(true);
    await host?.stop();
    await broker?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('are filled in and used to log in', () => {
    expect(broker!.authenticated).toContain(username);
    expect(host!.source.connections().find((connection) => connection.brokerId === 'line')?.state).toBe('connected');
    expect(host!.source.connections().find((connection) => connection.brokerId === 'utilities')?.lastError).toBeTruthy();
  });

  it('are written nowhere in the recording, whose plant text keeps the references', () => {
    const files = [recordingFile, `${recordingFile}-wal`].filter((file) => existsSync(file));
    expect(files.length).toBe(2);
    for (const file of files) expect(secretsIn(readFileSync(file), secrets), file).toEqual([]);
    const embedded = recordedPlantText(recordingFile);
    expect(embedded).toContain('url: "mqtt://127.0.0.1:');
    expect(embedded).toContain('password: "<redacted>"');
  });

  it('reach no log line', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(secrets.filter((secret) => logLines.some((line) => line.includes(secret)))).toEqual([]);
  });

  it('reach no view: plant, status, connection and diagnostics streams, replay, CSV export', () => {
    expect(viewMessages.length).toBeGreaterThan(5);
    const sent = JSON.stringify(viewMessages);
    expect(sent).toContain('"diagnostics"');
    expect(viewCsv).toMatch(/press\/force,\d+,kN/);
    expect(secrets.filter((secret) => sent.includes(secret))).toEqual([]);
  });

  it('reach no CSV exported from the recording file', () => {
    const reader = new RecordingReader(recordingFile);
    let csv = '';
    try {
      const range = reader.timeRange();
      expect(exportCsv(reader, reader.signalKeys, range.start, range.end, (chunk) => void (csv += chunk))).toBeGreaterThan(0);
    } finally {
      reader.close();
    }
    expect(secrets.filter((secret) => csv.includes(secret))).toEqual([]);
  });
});
