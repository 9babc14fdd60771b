import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopicDetail, TopicExplorerTotals } from '../../common/topic-explorer.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../embedded-broker.ts';
import { encodeSparkplugPayload } from '../sparkplug/sparkplug-payload-codec.ts';
import { testPlantText } from '../testing/test-plants.ts';

const cli = fileURLToPath(new URL('../../../bin/twinline.js', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-topics-'));
let broker: EmbeddedBroker;
let publisher: mqtt.MqttClient;

/** Runs `twinline topics` to its end, publishing a live message every 50 ms meanwhile. */
function runTopics(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'topics', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let count = 0;
    const live = setInterval(() => publisher.publish('live/counter', JSON.stringify({ count: ++count })), 50);
    child.once('exit', (code) => {
      clearInterval(live);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  broker = await startEmbeddedBroker();
  publisher = await mqtt.connectAsync(broker.url);
  const retained = { qos: 1, retain: true } as const;
  await publisher.publishAsync('plant/press/telemetry', JSON.stringify({ temperature: 71.5, drive: { speed: [1450, 1460] } }), retained);
  await publisher.publishAsync('plant/press/state', 'RUNNING', retained);
  await publisher.publishAsync('plant/camera/frame', Buffer.from([0x00, 0xff, 0x10, 0x80, 0x01]), retained);
  await publisher.publishAsync('spBv1.0/Plant1/DBIRTH/Edge1/Press1', encodeSparkplugPayload({ timestamp: 1_700_000_000_000, seq: 1, metrics: [{ name: 'Drive/Speed', alias: 7, type: 'Double', value: 1450.5 }, { name: 'Mode', alias: 8, type: 'String', value: 'AUTO' }] }), retained);
  await publisher.publishAsync('spBv1.0/Plant1/DDATA/Edge1/Press1', encodeSparkplugPayload({ timestamp: 1_700_000_000_500, seq: 2, metrics: [{ alias: 7, type: 'Double', value: 1452 }] }), retained);
  for (let index = 0; index < 30; index++) await publisher.publishAsync(`bulk/sensor${String(index).padStart(2, '0')}`, String(index), retained);
}, 20_000);

afterAll(async () => {
  // Retained messages live in the broker's memory only: closing it forgets them.
  await publisher?.endAsync();
  await broker?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('twinline topics', () => {
  it('prints the tree with rates, retained and bound marks, JSON pretty-printed, binary as hex and Sparkplug decoded', { timeout: 30_000 }, async () => {
    const plantFile = join(folder, 'plant.yaml');
    writeFileSync(
      plantFile,
      testPlantText({
        name: 'Topics test',
        brokers: [{ id: 'line', url: broker.url }],
        machines: [
          {
            id: 'press',
            signals: [
              { id: 'temperature', topic: 'plant/press/telemetry', path: 'temperature' },
              { id: 'speed', sparkplug: { group: 'Plant1', node: 'Edge1', device: 'Press1', metric: 'Drive/Speed' } },
            ],
          },
        ],
      }),
    );
    const result = await runTopics(['--plant', plantFile, '--seconds', '2']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^plant\/\n {2}camera\/\n {4}frame {2}[\d.]+\/s, 1 message, 5 bytes {2}\[retained\]\n {8}hex 00 ff 10 80 01\n/m);
    expect(out).toMatch(/ {4}telemetry {2}[\d.]+\/s, 1 message, \d+ bytes {2}\[retained; bound: press\/temperature\]\n {8}\{\n {10}"temperature": 71\.5,\n {10}"drive": \{\n {12}"speed": \[\n {14}1450,/);
    expect(out).toMatch(/ {4}state .*\[retained\]\n {8}RUNNING\n/);
    expect(out).toMatch(/DDATA\/\n {6}Edge1\/\n {8}Press1 .*\[retained; bound: press\/speed\]\n {12}Sparkplug B seq 2 at 2023-11-14T22:13:20\.500Z\n {12}Drive\/Speed = 1452 {2}\[bound: press\/speed\]\n/);
    expect(out).toMatch(/DBIRTH\/[\s\S]*Mode = "AUTO"/);
    // Live messages arrive while it listens and are counted with a rate; they were never retained.
    const live = /counter {2}([\d.]+)\/s, (\d+) messages, \d+ bytes\n/.exec(out);
    expect(live, out).not.toBeNull();
    expect(Number(live![2])).toBeGreaterThan(3);
    expect(Number(live![1])).toBeGreaterThan(0);
    expect(out).toMatch(/^36 topics, \d+ messages in 2 s/m);
    expect(out).not.toMatch(/dropped/);
  });

  it('keeps no more topics than its cap and says how many messages it dropped', { timeout: 30_000 }, async () => {
    const result = await runTopics(['--broker', broker.url, '--filter', 'bulk/#', '--max-topics', '10', '--seconds', '1', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { totals: TopicExplorerTotals; topics: TopicDetail[] };
    expect(report.topics).toHaveLength(10);
    expect(report.totals).toMatchObject({ topics: 10, messages: 30, droppedMessages: 20 });
    expect(report.topics.every((topic) => topic.topic.startsWith('bulk/') && topic.retained)).toBe(true);
    expect(report.topics[0]!.payload).toEqual({ kind: 'json', text: expect.stringMatching(/^\d+$/) });
  });

  it('says when the broker cannot be reached and exits with 1', { timeout: 30_000 }, async () => {
    const result = await runTopics(['--broker', 'mqtt://127.0.0.1:9', '--seconds', '0.5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broker "broker" is (reconnecting|connecting)/);
  });
});
