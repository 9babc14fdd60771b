import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AlarmRecord, AlarmSnapshot } from '../../common/alarms/alarm-record.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../embedded-broker.ts';
import { listRecordings } from '../recording/recording-manager.ts';
import { RecordingReader } from '../recording/recording-reader.ts';
import { RecordingSequence, sessionFiles } from '../recording/recording-sequence.ts';
import { testPlantText } from '../testing/test-plants.ts';
import { until } from '../testing/until.ts';
import { websocketPath } from '../view-server.ts';

const cli = fileURLToPath(new URL('../../../bin/twinline.js', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-alarm-restart-'));
const recordings = join(folder, 'recordings');
const machineCount = 3;
/** Alarm ids of machine `index`'s temperature: four per signal, its high warning third and high alarm fourth. */
const highWarn = (index: number) => index * 4 + 2;
const highAlarm = (index: number) => index * 4 + 3;
const operator = 'Ana Lima';

let broker: EmbeddedBroker | undefined;
let publisher: MqttClient | undefined;
let heartbeat: ReturnType<typeof setInterval> | undefined;
const hosts: ChildProcess[] = [];
const sockets: WebSocket[] = [];

afterAll(async () => {
  clearInterval(heartbeat);
  for (const socket of sockets) socket.close();
  for (const host of hosts) {
    if (host.exitCode !== null || host.signalCode !== null) continue;
    const exited = new Promise((resolve) => host.once('exit', resolve));
    host.kill('SIGTERM');
    await exited;
  }
  await publisher?.endAsync();
  await broker?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** `twinline serve` recording into the test's folder, and the address of its views. */
async function startServe(plantFile: string): Promise<{ host: ChildProcess; url: string; output: () => string }> {
  const host = spawn(process.execPath, [cli, 'serve', '--plant', plantFile, '--out', recordings, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  hosts.push(host);
  let output = '';
  host.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  host.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const address = await until(() => /Twinline is serving .* at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1], 'the server address', () => output, 30_000);
  return { host, url: `${address.replace('http', 'ws')}${websocketPath}`, output: () => output };
}

/** One view over the WebSocket: its alarm snapshots as received, and requests answered. */
async function openView(url: string) {
  const socket = new WebSocket(url);
  sockets.push(socket);
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let nextId = 1;
  const ask = async (method: string, params: unknown) => {
    const id = nextId++;
    socket.send(JSON.stringify({ type: 'request', id, method, params }));
    const reply = await until(() => messages.find((message) => message.type === 'response' && message.id === id), `the answer to ${method}`, () => messages.slice(-3), 20_000);
    expect(reply.ok, JSON.stringify(reply)).toBe(true);
    return reply.result;
  };
  await ask('subscribe', { streams: ['alarms'] });
  // The stream sends changes; what stood before them is asked for, as the app does.
  const asked = nextId;
  await ask('getAlarms', {});
  /** Every alarm snapshot the view was given, in the order it got them. */
  const snapshots = () =>
    messages
      .filter((message) => (message.type === 'event' && message.stream === 'alarms') || (message.type === 'response' && message.id === asked))
      .map((message) => (message.type === 'event' ? message.data : message.result) as AlarmSnapshot);
  const record = (alarm: number) => snapshots().at(-1)?.alarms.find((candidate) => candidate.alarm === alarm);
  return { socket, ask, snapshots, record };
}

/** What replay and live are compared on: the flood indicator and every record. */
const shown = (snapshot: { flood: unknown; alarms: AlarmRecord[] }) => JSON.stringify([snapshot.flood, snapshot.alarms]);
/** A record without its restored mark: the state an operator left. */
const unmarked = ({ restored: _restored, ...record }: AlarmRecord) => record;

describe('alarm states across a host restart', () => {
  it('a host killed and started again on the same folder shows the acknowledged and shelved alarms as they were, and replay across the restart equals what views saw', { timeout: 120_000 }, async () => {
    broker = await startEmbeddedBroker();
    const plantFile = join(folder, 'plant.yaml');
    writeFileSync(
      plantFile,
      testPlantText({
        name: 'Restart plant',
        brokers: [{ id: 'line', url: broker.url }],
        machines: Array.from({ length: machineCount }, (_, index) => ({ id: `m${index}`, signals: [{ id: 'temperature', topic: `t/m${index}/temperature`, unit: '°C', limits: { highWarn: 80, highAlarm: 90 } }] })),
      }),
    );
    publisher = await mqtt.connectAsync(broker.url);
    const values = [95, 96, 50];
    const publishAll = () => Promise.all(values.map((value, index) => publisher!.publishAsync(`t/m${index}/temperature`, String(value))));
    const publishing: string[] = [];
    heartbeat = setInterval(() => void publishAll().catch((error: unknown) => publishing.push(String(error))), 200);

    const first = await startServe(plantFile);
    const before = await openView(first.url);
    await until(() => before.record(highAlarm(0))?.state === 'activeUnacknowledged' && before.record(highAlarm(1))?.state === 'activeUnacknowledged', 'the two alarms raised', () => before.snapshots().at(-1), 30_000);
    await before.ask('alarmAction', { action: 'acknowledge', alarms: [highWarn(0), highAlarm(0)], operator });
    await before.ask('alarmAction', { action: 'shelve', alarms: [highAlarm(1)], operator, reason: 'sensor swap on the line', durationMs: 600_000 });
    const left = before.snapshots().at(-1)!;
    expect(left.alarms.find((record) => record.alarm === highAlarm(1))).toMatchObject({ state: 'shelved', shelved: { operator, reason: 'sensor swap on the line' } });
    // Killed once the recording holds what the operator did (it commits once a second).
    const firstFile = await until(() => listRecordings(recordings).at(-1)?.file, 'the first recording', () => first.output(), 20_000);
    await until(() => {
      const reader = new RecordingReader(firstFile, { verify: false });
      try {
        return shown(reader.alarmsAt(Date.now())) === shown(left);
      } finally {
        reader.close();
      }
    }, 'the actions committed to the recording', () => first.output(), 20_000);
    first.host.kill('SIGKILL');
    await new Promise((resolve) => first.host.once('exit', resolve));

    const second = await startServe(plantFile);
    const after = await openView(second.url);
    const firstSent = await until(() => after.snapshots().find((snapshot) => snapshot.alarms.length > 0), 'the restored alarms', () => second.output(), 20_000);
    // Every alarm stands as the operator left it: acknowledged, shelved with its reason and end, the rest unacknowledged.
    expect(firstSent.alarms.map(unmarked)).toEqual(left.alarms);
    expect(second.output()).toContain(`Restored ${left.alarms.length} alarm states from`);
    // The first new sample of each signal confirms its alarms: the mark goes, the states stay.
    await until(() => after.snapshots().at(-1)!.alarms.every((record) => record.restored === undefined), 'the restored alarms confirmed', () => after.snapshots().at(-1), 20_000);
    expect(after.snapshots().at(-1)!.alarms).toEqual(left.alarms);
    await after.ask('alarmAction', { action: 'unshelve', alarms: [highAlarm(1)], operator });
    expect(after.record(highAlarm(1))).toMatchObject({ state: 'activeUnacknowledged', shelved: null });

    // Replay over both runs' files gives, at every moment a view was sent alarms, what that view then held.
    const secondFile = listRecordings(recordings).at(-1)!.file;
    expect(secondFile).not.toBe(firstFile);
    const lastSent = after.snapshots().at(-1)!;
    await until(() => {
      const reader = new RecordingReader(secondFile, { verify: false });
      try {
        return shown(reader.alarmsAt(Date.now())) === shown(lastSent);
      } finally {
        reader.close();
      }
    }, 'the last change committed', () => second.output(), 20_000);
    const sequence = new RecordingSequence(sessionFiles(recordings, secondFile), () => false);
    try {
      expect(sequence.fileCount()).toBe(2);
      const sent = [...before.snapshots(), ...after.snapshots()];
      // The view holds the last snapshot of a millisecond.
      const held = sent.filter((snapshot, index) => sent[index + 1]?.time !== snapshot.time);
      expect(held.length).toBeGreaterThanOrEqual(5);
      expect(held.filter((snapshot) => snapshot.time >= firstSent.time).length).toBeGreaterThanOrEqual(2);
      for (const snapshot of held) expect(shown(sequence.alarmsAt(snapshot.time)), `at ${snapshot.time}`).toBe(shown(snapshot));
      // From the moment the states were put back, before the new file's first sample, a view that came was sent them.
      const database = new DatabaseSync(secondFile, { readOnly: true });
      const restoredAt = Number((database.prepare("SELECT min(time) AS time FROM alarm_events WHERE event = 'restored'").get() as { time: number }).time);
      database.close();
      expect(restoredAt).toBeLessThanOrEqual(firstSent.time);
      // (Marked or already confirmed: samples that came while the recording was read are evaluated in that same millisecond.)
      expect(sequence.alarmsAt(restoredAt).alarms.map(unmarked)).toEqual(left.alarms);
    } finally {
      sequence.close();
    }
    expect(publishing).toEqual([]);
  });
});
