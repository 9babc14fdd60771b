import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../common/content-security-policy.ts';
import { protocolVersion, type FrameBatch } from '../common/contract.ts';
import { HostClient } from '../common/host-client.ts';
import { parsePlantOrThrow } from '../common/parse-plant.ts';
import { LiveSource } from './live-source.ts';
import { startViewServer, websocketEndpoint, websocketPath, type ViewServer } from './view-server.ts';

const plant = parsePlantOrThrow(`
name: View server test plant
machines:
  - id: furnace
    name: Furnace
    area: Melt shop
    line: Melt 1
    primitive: { shape: box }
    signals:
      - id: temperature
        topic: vs/furnace/temperature
        limits: { highWarn: 80, highAlarm: 90 }
  - id: pump
    name: Pump
    area: Utilities
    line: Cooling
    primitive: { shape: sphere }
    signals:
      - id: flow
        topic: vs/pump/flow
`);

// Never started: the tests feed it with ingest() and cut frames with flush(), so no broker is needed.
const source = new LiveSource({ plant, defaultBrokerUrl: 'mqtt://127.0.0.1:9' });

const indexHtml = '<!doctype html><title>Twinline test page</title>';
const modelBytes = Buffer.from([0x67, 0x6c, 0x54, 0x46, 2, 0, 0, 0, 1, 2, 3, 4]);
const secret = 'TOP SECRET: outside the served folders';

let root: string;
let server: ViewServer;
let wsUrl: string;
const openSockets = new Set<WebSocket>();

beforeAll(async () => {
  // root/renderer and root/models are served; root/secret.txt sits next to them, one "../" away.
  root = mkdtempSync(join(tmpdir(), 'twinline-view-server-'));
  mkdirSync(join(root, 'renderer'));
  mkdirSync(join(root, 'models'));
  writeFileSync(join(root, 'renderer', 'index.html'), indexHtml);
  writeFileSync(join(root, 'models', 'box.glb'), modelBytes);
  writeFileSync(join(root, 'secret.txt'), secret);
  server = await startViewServer({ source, rendererDirectory: join(root, 'renderer'), modelsDirectory: join(root, 'models') });
  wsUrl = `ws://127.0.0.1:${server.port}${websocketPath}`;
});

afterEach(() => {
  for (const socket of openSockets) socket.terminate();
  openSockets.clear();
});

afterAll(async () => {
  await server?.close();
  await source.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Waits until `probe` returns something other than undefined/false, polling. */
async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

type Received = Record<string, unknown> & { type?: string; id?: unknown };

/** A raw WebSocket that records every message the host sends, from the first one on. */
interface RawSocket {
  socket: WebSocket;
  messages: Received[];
  /** The first message after position `from` that matches, waiting for it. */
  next(match: (message: Received) => boolean, from?: number): Promise<Received>;
  sendJson(message: unknown): void;
}

function openRaw(options: ConstructorParameters<typeof WebSocket>[2] = {}, url = wsUrl): Promise<RawSocket> {
  const socket = new WebSocket(url, options);
  openSockets.add(socket);
  const messages: Received[] = [];
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as Received));
  const raw: RawSocket = {
    socket,
    messages,
    next: (match, from = 0) => until(() => messages.slice(from).find(match), 'a matching message from the host'),
    sendJson: (message) => socket.send(JSON.stringify(message)),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(raw));
    socket.once('error', reject);
  });
}

/** Opens a socket and puts the view's own client on it, over the same endpoint adapter the server uses. */
async function openClient(): Promise<RawSocket & { client: HostClient }> {
  const raw = await openRaw();
  return { ...raw, client: new HostClient(websocketEndpoint(raw.socket)) };
}

/** How an upgrade attempt ends: open, or the HTTP status or error it was refused with. */
function tryUpgrade(options: ConstructorParameters<typeof WebSocket>[2], url = wsUrl): Promise<string> {
  const socket = new WebSocket(url, options);
  openSockets.add(socket);
  return new Promise((resolve) => {
    socket.once('open', () => resolve('open'));
    socket.once('error', (error) => resolve(error.message));
  });
}

/** A GET with the path sent exactly as written (no client-side normalisation of "..", unlike fetch). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port: server.port, path, method: 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

const signal = (key: string) => source.describePlant().signalKeys.indexOf(key);

describe('the view WebSocket', () => {
  it('greets with hello and answers getPlant with the plant', async () => {
    const { messages, client } = await openClient();
    await until(() => messages.length > 0, 'hello');
    expect(messages[0]).toEqual({ type: 'hello', protocolVersion });
    const description = await client.request('getPlant', {});
    expect(description.plant.name).toBe('View server test plant');
    expect(description.signalKeys).toEqual(['furnace/temperature', 'pump/flow']);
    expect(description.signalMachine).toEqual([0, 1]);
    expect(description).toEqual(JSON.parse(JSON.stringify(source.describePlant())));
    const snapshot = await client.request('getSnapshot', {});
    expect(snapshot).toMatchObject({ full: true, signalIndex: [0, 1], machineIndex: [0, 1] });
    client.close();
  });

  it('forwards frames to a subscribed view, and stops when it unsubscribes', async () => {
    const { client, messages } = await openClient();
    const frames: FrameBatch[] = [];
    const stop = client.subscribe('frame', (frame) => frames.push(frame));
    // Requests are answered in order, so once this returns the subscription is in place.
    await client.request('getStatus', {});

    source.ingest(0, 'vs/furnace/temperature', Buffer.from('{"value": 42.5}'));
    source.flush();
    const frame = await until(() => frames.find((candidate) => candidate.signalIndex.includes(signal('furnace/temperature'))), 'a frame with the furnace');
    const position = frame.signalIndex.indexOf(signal('furnace/temperature'));
    expect(frame.full).toBe(false);
    expect(frame.signalValue[position]).toBe(42.5);
    expect(frame.signalSampleTime[position]).toBeGreaterThan(0);

    stop();
    await client.request('getStatus', {});
    const eventsBefore = messages.filter((message) => message.type === 'event').length;
    const framesBefore = frames.length;
    source.ingest(0, 'vs/pump/flow', Buffer.from('7'));
    source.flush();
    // A frame sent before this round trip would have arrived before its answer.
    await client.request('getStatus', {});
    expect(frames.length).toBe(framesBefore);
    // Not just dropped in the client: the host stopped sending them.
    expect(messages.filter((message) => message.type === 'event').length).toBe(eventsBefore);
    client.close();
  });

  it('answers each invalid message with invalidMessage and stays usable', async () => {
    const raw = await openClient();
    const protocolErrors: string[] = [];
    raw.client.onProtocolError((message) => protocolErrors.push(message));
    const cases: Array<{ name: string; send: () => void; id: number | null }> = [
      { name: 'bad JSON', send: () => raw.socket.send('{"type":"request",'), id: null },
      { name: 'unknown method', send: () => raw.sendJson({ type: 'request', id: 9001, method: 'deleteEverything', params: {} }), id: 9001 },
      { name: 'wrong params', send: () => raw.sendJson({ type: 'request', id: 9002, method: 'subscribe', params: { streams: ['everything'] } }), id: 9002 },
      { name: 'missing id', send: () => raw.sendJson({ type: 'request', method: 'getPlant', params: {} }), id: null },
      { name: 'binary frame', send: () => raw.socket.send(Buffer.from([0x7b, 0x7d]), { binary: true }), id: null },
    ];
    for (const [index, testCase] of cases.entries()) {
      const from = raw.messages.length;
      testCase.send();
      const answer = await raw.next((message) => message.type === 'response', from);
      expect(answer, testCase.name).toMatchObject({ type: 'response', id: testCase.id, ok: false, error: { code: 'invalidMessage' } });
      // Still usable: a good request right after is answered.
      raw.sendJson({ type: 'request', id: 9100 + index, method: 'getStatus', params: {} });
      expect(await raw.next((message) => message.id === 9100 + index, from), testCase.name).toMatchObject({ ok: true });
    }
    // The view's client learns of the refusals it cannot match to a request…
    expect(protocolErrors).toHaveLength(3);
    expect(protocolErrors[0]).toContain('the host refused a message');
    // …rejects its own bad request with the host's code…
    await expect(raw.client.request('subscribe', { streams: ['everything'] } as never)).rejects.toMatchObject({ name: 'HostRequestError', code: 'invalidMessage' });
    // …and goes on working.
    expect((await raw.client.request('getPlant', {})).plant.name).toBe('View server test plant');
    raw.client.close();
  });

  it('closes a connection that sends more than 64 KiB in one message, and serves others on', async () => {
    const raw = await openRaw();
    const closed = new Promise<number>((resolve) => raw.socket.once('close', (code) => resolve(code)));
    raw.socket.send(JSON.stringify({ type: 'request', id: 1, method: 'getPlant', params: {}, padding: 'x'.repeat(70 * 1024) }));
    expect(await closed).toBe(1009);
    const { client } = await openClient();
    expect((await client.request('getPlant', {})).plant.name).toBe('View server test plant');
    client.close();
  });
});

describe('who may connect', () => {
  it('refuses an upgrade from a page on a foreign origin, and accepts its own origin', async () => {
    expect(await tryUpgrade({ origin: 'http://evil.example' })).toContain('403');
    expect(await tryUpgrade({ origin: `http://127.0.0.1:${server.port + 1}` })).toContain('403');
    expect(await tryUpgrade({ origin: 'not a url' })).toContain('403');
    expect(await tryUpgrade({ origin: `http://127.0.0.1:${server.port}` })).toBe('open');
    // Non-browser clients send no Origin at all.
    expect(await tryUpgrade({})).toBe('open');
  });

  it('refuses a DNS-rebound page, whose Origin matches the Host it made up', async () => {
    const host = `evil.example:${server.port}`;
    expect(await tryUpgrade({ origin: `http://${host}`, headers: { Host: host } })).toContain('403');
  });

  it('refuses upgrades on other paths', async () => {
    expect(await tryUpgrade({}, `ws://127.0.0.1:${server.port}/other`)).toContain('403');
  });

  it('listens on 127.0.0.1 by default', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect((await get('/')).status).toBe(200);
    // Not reachable on this machine's other addresses.
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address !== undefined && address.family === 'IPv4' && !address.internal)
      .map((address) => address!.address);
    for (const address of external) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connectTcp({ host: address, port: server.port });
        socket.setTimeout(3000, () => {
          socket.destroy();
          resolve('timeout');
        });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
      expect(outcome, address).not.toBe('connected');
    }
  });
});

describe('static files', () => {
  it('serves index.html with the Content Security Policy header', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body.toString('utf8')).toBe(indexHtml);
    expect(response.headers['content-security-policy']).toBe(contentSecurityPolicy);
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/index.html')).headers['content-security-policy']).toBe(contentSecurityPolicy);
  });

  it('serves model files from the models folder', async () => {
    const response = await get('/models/box.glb');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('model/gltf-binary');
    expect(response.body.equals(modelBytes)).toBe(true);
  });

  it.each([
    '/../package.json',
    '/../secret.txt',
    '/models/../../etc/passwd',
    '/models/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/..%2fsecret.txt',
    '/..%2Fsecret.txt',
    '/models/..%2fsecret.txt',
    '/models/%2e%2e%2fsecret.txt',
    '/models/..%2f..%2f..%2fetc%2fpasswd',
    '/models/..%2frenderer%2findex.html',
    '/models/..%5csecret.txt',
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/models/box.glb%00.html',
    '/models/',
    '/nothing-here.js',
  ])('refuses %s with 404', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
    expect(response.body.toString('utf8')).not.toContain('TOP SECRET');
    expect(response.body.toString('utf8')).not.toContain('root:');
  });

  it('refuses a malformed escape with 400 and methods other than GET and HEAD with 405', async () => {
    expect((await get('/%E0%A4%A')).status).toBe(400);
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port: server.port, path: '/', method: 'POST' }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end();
    });
    expect(status).toBe(405);
  });
});
