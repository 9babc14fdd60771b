import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { FrameBatch, HostMessage } from '../common/contract.ts';
import { HostClient, HostRequestError } from '../common/host-client.ts';
import { parsePlantOrThrow } from '../common/parse-plant.ts';
import { LiveSource } from './live-source.ts';
import { startViewServer, websocketEndpoint, websocketPath, type ViewServer } from './view-server.ts';

const plant = parsePlantOrThrow(`name: Server test
machines:
  - id: kiln
    name: Kiln
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: temperature, topic: t/kiln, limits: { highAlarm: 100 } }
`);

let server: ViewServer;
let source: LiveSource;
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'twinline-server-'));
  const renderer = join(folder, 'renderer');
  const models = join(folder, 'models');
  for (const [directory, file, text] of [[renderer, 'index.html', '<!doctype html><title>t</title>'], [models, 'kiln.glb', 'glTF']] as const) {
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, file), text);
  }
  writeFileSync(join(folder, 'secret.txt'), 'the secret content');
  // Constructed but not started: samples are fed with ingest() and frames cut with flush().
  source = new LiveSource({ plant, defaultBrokerUrl: 'mqtt://127.0.0.1:9' });
  server = await startViewServer({ source, rendererDirectory: renderer, modelsDirectory: models, port: 0 });
});

afterAll(async () => {
  await server?.close();
  rmSync(folder, { recursive: true, force: true });
});

function openSocket(headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${websocketPath}`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends raw text and resolves with the next response. */
function exchange(socket: WebSocket, raw: string | Buffer): Promise<HostMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString()) as HostMessage;
      if (message.type !== 'response') return;
      socket.off('message', onMessage);
      resolve(message);
    };
    socket.on('message', onMessage);
    socket.send(raw);
  });
}

function get(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: server.port, path }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the browser-mode server', () => {
  it('listens on loopback by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('answers requests and streams frames through the typed client; unsubscribing stops them', async () => {
    const client = new HostClient(websocketEndpoint(await openSocket()));
    const description = await client.request('getPlant', {});
    expect(description.plant.name).toBe('Server test');
    expect(description.signalKeys).toEqual(['kiln/temperature']);

    const frames: FrameBatch[] = [];
    const unsubscribe = client.subscribe('frame', (frame) => frames.push(frame));
    await client.request('getStatus', {}); // the subscribe request is answered before this one
    source.ingest(0, 't/kiln', Buffer.from('{"value": 120}'));
    source.flush();
    await expect.poll(() => frames.length).toBe(1);
    expect(frames[0]!.signalValue).toEqual([120]);

    unsubscribe();
    await client.request('getStatus', {});
    source.ingest(0, 't/kiln', Buffer.from('{"value": 121}'));
    source.flush();
    await client.request('getStatus', {});
    expect(frames.length).toBe(1);
    client.close();
  });

  it('answers invalid messages with an error and stays usable', async () => {
    const socket = await openSocket();
    const cases: Array<[string | Buffer, RegExp]> = [
      ['{"type": "request", "id": 1, "method"', /Invalid input/],
      [JSON.stringify({ type: 'request', id: 2, method: 'deleteEverything', params: {} }), /method/],
      [JSON.stringify({ type: 'request', id: 3, method: 'subscribe', params: { streams: ['secrets'] } }), /streams/],
      [JSON.stringify({ type: 'request', method: 'getPlant', params: {} }), /id/],
      [Buffer.from([1, 2, 3]), /Invalid input/],
    ];
    for (const [raw, detail] of cases) {
      const reply = await exchange(socket, raw);
      expect(reply).toMatchObject({ type: 'response', ok: false, error: { code: 'invalidMessage' } });
      if (reply.type === 'response' && !reply.ok) expect(reply.error.message).toMatch(detail);
    }
    const reply = await exchange(socket, JSON.stringify({ type: 'request', id: 4, method: 'getPlant', params: {} }));
    expect(reply).toMatchObject({ id: 4, ok: true });
    socket.close();
  });

  it('rejects a typed client request the host refuses', async () => {
    const client = new HostClient(websocketEndpoint(await openSocket()));
    const refused = client.request('subscribe', { streams: ['nonsense' as never] });
    await expect(refused).rejects.toBeInstanceOf(HostRequestError);
    client.close();
  });

  it('refuses a WebSocket from a foreign origin', async () => {
    await expect(openSocket({ Origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const sameOrigin = await openSocket({ Origin: `http://127.0.0.1:${server.port}` });
    sameOrigin.close();
  });

  it('serves the page with its CSP and the models, and nothing outside their folders', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect((await get('/models/kiln.glb')).status).toBe(200);
    for (const path of ['/../secret.txt', '/models/../../secret.txt', '/%2e%2e/secret.txt', '/models/%2e%2e%2f%2e%2e%2fsecret.txt', '/models/..%5c..%5csecret.txt']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.body).not.toContain('the secret content');
    }
  });
});
