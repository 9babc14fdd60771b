import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveSource } from '../live-source.ts';
import { testPlant, unusedBroker } from '../testing/test-plants.ts';
import { startViewServer } from '../view-server.ts';

const root = mkdtempSync(join(tmpdir(), 'twinline-incident-download-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('incident packages in the browser', () => {
  it('are downloaded under /incidents/ only by name as the host makes it, from its folder, with the access token', async () => {
    const incidents = join(root, 'recordings', 'incidents');
    mkdirSync(incidents, { recursive: true });
    mkdirSync(join(root, 'renderer'));
    writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html>');
    const bytes = Buffer.from('SQLite format 3\u0000 a package');
    writeFileSync(join(incidents, 'incident-2026-11-25T06-10-00-000Z-a1b2c3.twinline'), bytes);
    writeFileSync(join(root, 'recordings', 'incident-outside.twinline'), 'not in the incidents folder');
    writeFileSync(join(root, 'secret.twinline'), 'a secret');
    writeFileSync(join(incidents, 'notes.txt'), 'not a package the host made');
    symlinkSync(join(root, 'secret.twinline'), join(incidents, 'incident-link.twinline'));
    const source = new LiveSource({ plant: testPlant({ name: 'Download plant', brokers: [unusedBroker], machines: [{ id: 'oven', signals: [{ id: 'temperature', topic: 't/oven' }] }] }) });
    const token = 'a'.repeat(64);
    const server = await startViewServer({ source, rendererDirectory: join(root, 'renderer'), modelsDirectory: join(root, 'models'), host: '127.0.0.1', port: 0, token, incidentsDirectory: incidents, log: () => undefined });
    try {
      const base = new URL(server.url);
      const get = (path: string, withToken = true) => fetch(`${base.origin}${path}${withToken ? `?token=${token}` : ''}`);
      const good = '/incidents/incident-2026-11-25T06-10-00-000Z-a1b2c3.twinline';
      expect((await get(good, false)).status).toBe(401);
      const response = await get(good);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="incident-2026-11-25T06-10-00-000Z-a1b2c3.twinline"');
      expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
      for (const path of ['/incidents/..%2Fincident-outside.twinline', '/incidents/secret.twinline', '/incidents/incident-link.twinline', '/incidents/incident-missing.twinline', '/incidents/notes.txt', '/incidents/incident-a.twinline%00']) {
        expect((await get(path)).status, path).toBe(404);
      }
    } finally {
      await server.close();
    }
  });
});
