import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from './embedded-broker.ts';

const cli = fileURLToPath(new URL('../../bin/twinline.js', import.meta.url));
const plantFile = fileURLToPath(new URL('../../e2e/fixtures/test-plant.yaml', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-broker-report-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('twinline record, broker report', () => {
  // The report runs every 10 s: the test watches three of the recorder's 10-s lines go by, so two
  // broker reports have passed, and sees that the second one, with nothing new, wrote nothing.
  it('logs each broker with its counts by reason every 10 s, and not again while nothing changed; its warning once', { timeout: 90_000 }, async () => {
    const broker = await startEmbeddedBroker();
    const logFile = join(folder, 'record.log');
    // The test plant with a broker that sends a password over plain MQTT: the warning the report must log once.
    const plant = join(folder, 'plant.yaml');
    const password = 'report-test-secret';
    writeFileSync(plant, readFileSync(plantFile, 'utf8').replace(/^machines:/m, 'brokers:\n  - { id: line, username: viewer, password: "${TWINLINE_REPORT_TEST_PASSWORD}" }\nmachines:'));
    try {
      // Retained messages reach the host the moment it subscribes, and nothing arrives after them.
      const publisher = await mqtt.connectAsync(broker.url, { clientId: `broker-report-test-${process.pid}` });
      await publisher.publishAsync('e2e/press-1/temperature', JSON.stringify({ value: 60 }), { retain: true, qos: 1 });
      await publisher.publishAsync('e2e/pump-1/state', JSON.stringify({ pressure: { discharge: 6.5 } }), { retain: true, qos: 1 });
      await publisher.publishAsync('e2e/press-2/temperature', '{"value": 6', { retain: true, qos: 1 });
      await publisher.endAsync();

      const child = spawn(process.execPath, [cli, 'record', '--plant', plant, '--broker', `line=${broker.url}`, '--out', join(folder, 'recordings'), '--log', logFile], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TWINLINE_REPORT_TEST_PASSWORD: password },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await expect
        .poll(() => (child.exitCode === null ? (stdout.match(/^recording \S+: /gm) ?? []).length : `exited: ${stderr}`), { timeout: 80_000, interval: 200 })
        .toBeGreaterThanOrEqual(3);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      // Logged once, although the broker's status changed as it connected.
      expect(stderr).toMatch(/^Warning: broker line: password sent unencrypted over mqtt:\/\/[^\n]*\n$/);

      const log = readFileSync(logFile, 'utf8');
      expect(log).not.toContain(password);
      const brokerLines = log
        .split('\n')
        // Only the report's lines: a broker's state changes are logged at once, in lines of their own.
        .filter((line) => / broker \S+: .* received \d+ /.test(line));
      expect(brokerLines).toHaveLength(1);
      expect(brokerLines[0]).toMatch(/ broker line: connected \(MQTT 3\.1\.1, 3 subscriptions\) received 3 decoded 2 rejected 1 \(malformed 1\)$/);
    } finally {
      await broker.close();
    }
  });
});
