import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { hostname, networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../common/content-security-policy.ts';
import { protocolVersion, type FrameBatch, type HostStreams, type StreamName, type TwinlineSource } from '../common/contract.ts';
import { frameSampleTimeAt } from '../common/frame-batch.ts';
import { HostClient } from '../common/host-client.ts';
import { parsePlantOrThrow } from '../common/parse-plant.ts';
import { viewProtocols } from '../common/view-token.ts';
import { LiveSource } from './live-source.ts';
import { resolveModelFile } from './resolve-served-file.ts';
import { defaultViewBufferLimits } from './throttled-view-endpoint.ts';
import { startViewServer, websocketEndpoint, websocketPath, type ViewServer } from './view-server.ts';
import { until } from './testing/until.ts';

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
/** What the servers under test told their log. */
const logged: string[] = [];
/** Servers a test started for itself, closed after it. */
const extraServers: ViewServer[] = [];
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
  writeFileSync(join(root, 'models', 'other.glb'), modelBytes);
  server = await startViewServer({ source, rendererDirectory: join(root, 'renderer'), modelsDirectory: join(root, 'models'), modelFiles: new Set(['box.glb']), log: (line) => logged.push(line) });
  wsUrl = `ws://127.0.0.1:${server.port}${websocketPath}`;
});

afterEach(async () => {
  for (const socket of openSockets) socket.terminate();
  openSockets.clear();
  await Promise.all(extraServers.splice(0).map((extra) => extra.close()));
});

afterAll(async () => {
  await server?.close();
  await source.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

type Received = Record<string, unknown> & { type?: string; id?: unknown };

/** A raw WebSocket that records every message the host sends, from the first one on. */
interface RawSocket {
  socket: WebSocket;
  messages: Received[];
  /** The first message after position `from` that matches, waiting for it. */
  next(match: (message: Received) => boolean, from?: number): Promise<Received>;
  sendJson(message: unknown): void;
}

function openRaw(options: ConstructorParameters<typeof WebSocket>[2] = {}, url = wsUrl, protocols: string[] = []): Promise<RawSocket> {
  const socket = new WebSocket(url, protocols, options);
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
function tryUpgrade(options: ConstructorParameters<typeof WebSocket>[2], url = wsUrl, protocols: string[] = []): Promise<string> {
  const socket = new WebSocket(url, protocols, options);
  openSockets.add(socket);
  return new Promise((resolve) => {
    socket.once('open', () => resolve('open'));
    socket.once('error', (error) => resolve(error.message));
  });
}

/** A GET with the path sent exactly as written (no client-side normalisation of "..", unlike fetch). */
function get(path: string, headers: Record<string, string> = {}, port = server.port): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, method: 'GET', headers }, (response) => {
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
    expect(snapshot).toMatchObject({ full: true, signalIndex: [], machineIndex: [] });
    expect(snapshot.signalValue).toHaveLength(2);
    expect(snapshot.machineHealth).toHaveLength(2);
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
    expect(frameSampleTimeAt(frame, position)).toBeGreaterThan(0);

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

/** Starts one more server on the test's folders, closed after the test. */
async function startExtra(options: Partial<Parameters<typeof startViewServer>[0]> = {}): Promise<ViewServer> {
  const extra = await startViewServer({
    source,
    rendererDirectory: join(root, 'renderer'),
    modelsDirectory: join(root, 'models'),
    modelFiles: new Set(['box.glb']),
    log: (line) => logged.push(line),
    ...options,
  });
  extraServers.push(extra);
  return extra;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('the Host header on a loopback server (DNS rebinding)', () => {
  it.each(['/', '/index.html', '/models/box.glb', '/nothing-here.js'])('refuses %s with 403 when Host names another machine', async (path) => {
    const port = server.port;
    for (const host of [`evil.example:${port}`, 'evil.example', `192.168.1.20:${port}`, `127.0.0.1.evil.example:${port}`, '[not a host']) {
      const response = await get(path, { Host: host });
      expect(response.status, host).toBe(403);
      expect(response.body.toString('utf8')).not.toContain('Twinline test page');
    }
  });

  it('serves loopback names', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, `app.localhost:${server.port}`]) {
      expect((await get('/', { Host: host })).status, host).toBe(200);
    }
    expect((await get('/models/box.glb', { Host: `localhost:${server.port}` })).status).toBe(200);
  });
});

describe('model files', () => {
  it('serves nothing under /models that the plant does not name, even when it lies in the models folder', async () => {
    expect((await get('/models/other.glb')).status).toBe(404);
    expect((await get('/models/box.glb')).status).toBe(200);
  });

  it('refuses /models/etc/passwd with the models folder at the root of the disk', async () => {
    const rooted = await startExtra({ modelsDirectory: '/' });
    for (const path of ['/models/etc/passwd', '/models//etc/passwd', '/models/etc%2fpasswd', '/models/box.glb']) {
      const response = await get(path, {}, rooted.port);
      expect(response.status, path).toBe(404);
      expect(response.body.toString('utf8')).not.toContain('root:');
    }
  });

  it('follows no link in the models folder that leads outside it, and does follow one that stays inside', async () => {
    const models = mkdtempSync(join(root, 'linked-models-'));
    writeFileSync(join(models, 'box.glb'), modelBytes);
    symlinkSync(join(root, 'secret.txt'), join(models, 'outside.glb'));
    symlinkSync(join(models, 'box.glb'), join(models, 'inside.glb'));
    mkdirSync(join(models, 'lines'));
    // A folder link: lines/up → root, so lines/up/secret.txt is outside even though no ".." is written.
    symlinkSync(root, join(models, 'lines', 'up'));
    symlinkSync(join(root, 'nowhere.glb'), join(models, 'dangling.glb'));
    const linked = await startExtra({ modelsDirectory: models, modelFiles: new Set(['box.glb', 'outside.glb', 'inside.glb', 'lines/up/secret.txt', 'dangling.glb']) });
    for (const path of ['/models/outside.glb', '/models/lines/up/secret.txt', '/models/dangling.glb']) {
      const response = await get(path, {}, linked.port);
      expect(response.status, path).toBe(404);
      expect(response.body.toString('utf8')).not.toContain('TOP SECRET');
    }
    const inside = await get('/models/inside.glb', {}, linked.port);
    expect(inside.status).toBe(200);
    expect(inside.body.equals(modelBytes)).toBe(true);
  });

  it("serves a .gltf model's .bin and textures with their types and lengths, and no other file beside it", async () => {
    const models = mkdtempSync(join(root, 'gltf-models-'));
    writeFileSync(join(models, 'robot.gltf'), JSON.stringify({ asset: { version: '2.0' }, buffers: [{ uri: 'robot.bin', byteLength: 4 }], images: [{ uri: 'paint%20red.webp' }, { uri: '../secret.txt' }] }));
    writeFileSync(join(models, 'robot.bin'), Buffer.from([1, 2, 3, 4]));
    writeFileSync(join(models, 'paint red.webp'), 'RIFF');
    writeFileSync(join(models, 'spare.bin'), 'not referenced');
    const served = await startExtra({ modelsDirectory: models, modelFiles: new Set(['robot.gltf']) });
    const gltf = await get('/models/robot.gltf', {}, served.port);
    expect([gltf.status, gltf.headers['content-type']]).toEqual([200, 'model/gltf+json']);
    const bin = await get('/models/robot.bin', {}, served.port);
    expect([bin.status, bin.headers['content-type'], bin.headers['content-length']]).toEqual([200, 'application/octet-stream', '4']);
    const texture = await get('/models/paint%20red.webp', {}, served.port);
    expect([texture.status, texture.headers['content-type']]).toEqual([200, 'image/webp']);
    for (const path of ['/models/spare.bin', '/models/../secret.txt', '/models/%2e%2e%2fsecret.txt']) {
      const refused = await get(path, {}, served.port);
      expect(refused.status, path).toBe(404);
      expect(refused.body.toString('utf8')).not.toContain('TOP SECRET');
    }
  });

  it('resolves the same rule outside the server, for the desktop shell', async () => {
    const models = join(root, 'models');
    expect(await resolveModelFile(models, new Set(['box.glb']), 'box.glb')).toBe(join(realpathSync(models), 'box.glb'));
    expect(await resolveModelFile(models, new Set(['box.glb']), 'other.glb')).toBeUndefined();
    expect(await resolveModelFile('/', new Set(['box.glb']), 'etc/passwd')).toBeUndefined();
  });
});

describe('the access token off loopback', () => {
  it('makes up a token on 0.0.0.0, prints it in the URL, and requires it on every request and upgrade', async () => {
    const exposed = await startExtra({ host: '0.0.0.0' });
    const token = exposed.token!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(exposed.url).toBe(`http://${hostname()}:${exposed.port}/?token=${token}`);
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

    // HTTP: nothing without the token, nothing with a wrong one, whatever the Host says.
    for (const path of ['/', '/index.html', '/models/box.glb']) {
      expect((await get(path, {}, exposed.port)).status, path).toBe(401);
      expect((await get(`${path}?token=${wrong}`, {}, exposed.port)).status, path).toBe(401);
      expect((await get(path, { Cookie: `twinline-token-${exposed.port}=${wrong}` }, exposed.port)).status, path).toBe(401);
      expect((await get(path, { Cookie: `twinline-token-${exposed.port + 1}=${token}` }, exposed.port)).status, path).toBe(401);
    }
    expect((await get('/', {}, exposed.port)).body.toString('utf8')).not.toContain('Twinline test page');

    // The page loaded with the token sets a cookie that lets its own later requests in.
    const page = await get(`/?token=${token}`, { Host: `plant-viewer.example:${exposed.port}` }, exposed.port);
    expect(page.status).toBe(200);
    expect(page.body.toString('utf8')).toBe(indexHtml);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const cookie = page.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toBe(`twinline-token-${exposed.port}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    const model = await get('/models/box.glb', { Cookie: `theme=dark; ${cookie.split(';')[0]}` }, exposed.port);
    expect(model.status).toBe(200);
    expect(model.body.equals(modelBytes)).toBe(true);

    // The WebSocket: refused without and with a wrong token; open with it in the query, as a subprotocol or in the cookie.
    const socketUrl = `ws://127.0.0.1:${exposed.port}${websocketPath}`;
    expect(await tryUpgrade({}, socketUrl)).toContain('401');
    expect(await tryUpgrade({}, `${socketUrl}?token=${wrong}`)).toContain('401');
    expect(await tryUpgrade({}, socketUrl, viewProtocols(wrong))).toContain('401');
    expect(await tryUpgrade({ headers: { Cookie: `twinline-token-${exposed.port}=${wrong}` } }, socketUrl)).toContain('401');
    expect(await tryUpgrade({}, `${socketUrl}?token=${token}`)).toBe('open');
    expect(await tryUpgrade({ headers: { Cookie: cookie.split(';')[0]! } }, socketUrl)).toBe('open');
    const viaProtocol = await openRaw({}, socketUrl, viewProtocols(token));
    expect(viaProtocol.socket.protocol).toBe('twinline');
    const client = new HostClient(websocketEndpoint(viaProtocol.socket));
    expect((await client.request('getPlant', {})).plant.name).toBe('View server test plant');
    // A foreign page still may not use it, token or not.
    expect(await tryUpgrade({ origin: 'http://evil.example' }, `${socketUrl}?token=${token}`)).toContain('403');
    client.close();
  });

  it('requires the token on an address of this machine that is not loopback', async () => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((candidate) => candidate !== undefined && candidate.family === 'IPv4' && !candidate.internal)?.address;
    if (address === undefined) return void console.warn('no non-loopback IPv4 address on this machine; only 0.0.0.0 was tried');
    const exposed = await startExtra({ host: address });
    expect(exposed.url).toBe(`http://${address}:${exposed.port}/?token=${exposed.token}`);
    const fetchStatus = async (path: string) => (await fetch(`http://${address}:${exposed.port}${path}`)).status;
    expect(await fetchStatus('/')).toBe(401);
    expect(await fetchStatus(`/?token=${exposed.token}`)).toBe(200);
    expect(await tryUpgrade({}, `ws://${address}:${exposed.port}${websocketPath}`)).toContain('401');
    expect(await tryUpgrade({}, `ws://${address}:${exposed.port}${websocketPath}`, viewProtocols(exposed.token))).toBe('open');
  });

  it('takes a given token, requires it on loopback too, and refuses one that is too weak', async () => {
    const token = 'a-token-the-user-chose.42';
    const given = await startExtra({ token });
    expect(given.url).toBe(`http://127.0.0.1:${given.port}/?token=${token}`);
    expect((await get('/', {}, given.port)).status).toBe(401);
    expect((await get(`/?token=${token}`, {}, given.port)).status).toBe(200);
    await expect(startExtra({ token: 'short' })).rejects.toThrow(/16 to 256/);
    await expect(startExtra({ token: 'sixteen chars or more, with spaces' })).rejects.toThrow(/16 to 256/);
    // Loopback without a given token stays token-free.
    expect(server.token).toBeUndefined();
  });
});

describe('how many views may connect', () => {
  it('refuses the view past the cap with 503, and takes one again when another leaves', async () => {
    const capped = await startExtra({ maxViews: 3 });
    const url = `ws://127.0.0.1:${capped.port}${websocketPath}`;
    const views = [await openRaw({}, url), await openRaw({}, url), await openRaw({}, url)];
    expect(capped.views()).toBe(3);
    expect(await tryUpgrade({}, url)).toContain('503');
    expect(logged.some((line) => line.includes('3 views are connected already'))).toBe(true);
    views[0]!.socket.close();
    await until(() => capped.views() === 2, 'the server to see the view leave');
    expect(await tryUpgrade({}, url)).toBe('open');
  });

  it('tells every view how many views are connected', async () => {
    const counted = await startExtra();
    const url = `ws://127.0.0.1:${counted.port}${websocketPath}`;
    const first = await openRaw({}, url);
    const counts: number[] = [];
    const client = new HostClient(websocketEndpoint(first.socket));
    client.subscribe('views', (views) => counts.push(views.connected));
    await until(() => counts.at(-1) === 1, 'the count of one view');
    const second = await openRaw({}, url);
    await until(() => counts.at(-1) === 2, 'the count of two views');
    second.socket.close();
    await until(() => counts.at(-1) === 1, 'the count back at one');
    client.close();
  });

  it('drops a view that answers no ping', async () => {
    const beating = await startExtra({ heartbeatMs: 100 });
    const url = `ws://127.0.0.1:${beating.port}${websocketPath}`;
    const silent = await openRaw({}, url);
    const answering = await openRaw({}, url);
    // A paused socket reads nothing, so it answers no ping either, as a sleeping laptop would.
    silent.socket.pause();
    await until(() => beating.views() === 1, 'the silent view to be dropped');
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('streams a long export to a view that reads slowly, holding each chunk back until it has room', async () => {
    const chunk = 'x'.repeat(256 * 1024);
    const chunks = 40;
    // 10 MiB of CSV against a view allowed 2 MiB waiting: only an export that waits for the reader gets through.
    const exporting = Object.assign(Object.create(source) as TwinlineSource, {
      exportCsv: async (_params: unknown, write: (text: string) => void | Promise<void>) => {
        for (let index = 0; index < chunks; index++) await write(chunk);
        return { rows: chunks, bytes: chunks * chunk.length };
      },
    });
    const slow = await startExtra({ source: exporting, bufferLimits: { frameBacklogBytes: 256 * 1024, maxBufferedBytesPerView: 2 * 1024 * 1024 } });
    const raw = await openRaw({}, `ws://127.0.0.1:${slow.port}${websocketPath}`);
    const client = new HostClient(websocketEndpoint(raw.socket));
    let received = 0;
    const exported = client.request('exportCsv', { signals: ['pump/flow'], from: 0, to: 1 }, (text) => (received += text.length));
    // The view stops reading for a second, as a busy browser tab would, then goes on.
    raw.socket.pause();
    await sleep(1000);
    raw.socket.resume();
    expect(await exported).toEqual({ rows: chunks, bytes: chunks * chunk.length });
    expect(received).toBe(chunks * chunk.length);
    expect(raw.socket.readyState).toBe(WebSocket.OPEN);
    client.close();
  });

  it('closes a view whose source cannot be made, and goes on serving', async () => {
    let fail = true;
    const flaky = await startExtra({
      source: undefined,
      createViewSource: () => {
        if (fail) throw new Error('the recording folder is gone');
        return source;
      },
    });
    const url = `ws://127.0.0.1:${flaky.port}${websocketPath}`;
    const refused = await openRaw({}, url);
    const code = await new Promise<number>((resolve) => refused.socket.once('close', resolve));
    expect(code).toBe(1011);
    expect(logged.some((line) => line.includes('the recording folder is gone'))).toBe(true);
    fail = false;
    const { messages } = await openRaw({}, url);
    await until(() => messages.length > 0, 'hello');
  });
});

/** A source that hands out big frames on demand: a few of them fill any socket's buffers. */
class FloodSource implements TwinlineSource {
  private readonly frameListeners = new Set<(frame: FrameBatch) => void>();
  /** How many signals the next frames carry. */
  signals: number;
  /** After how many milliseconds a snapshot comes back (as a replay's do from its worker thread); undefined: at once. */
  private readonly snapshotDelayMs: number | undefined;
  latest: FrameBatch;
  constructor(signals: number, snapshotDelayMs?: number) {
    this.signals = signals;
    this.snapshotDelayMs = snapshotDelayMs;
    // The last frame sent, as views get them: a delta (its size is what the test's bounds are made of).
    this.latest = this.frameAt(1, false);
  }
  private frameAt(time: number, full: boolean): FrameBatch {
    const index = Array.from({ length: this.signals }, (_, position) => position);
    return {
      time,
      full,
      signalIndex: full ? [] : index,
      signalValue: index.map((position) => position * 1.000001 + time),
      signalSampleAge: index.map(() => 60_000),
      signalHealth: index.map(() => 1),
      machineIndex: full ? [] : [0, 1],
      machineHealth: [1, 1],
    };
  }
  emit(time: number): void {
    this.latest = this.frameAt(time, false);
    for (const listener of this.frameListeners) listener(this.latest);
  }
  describePlant() {
    return source.describePlant();
  }
  snapshot(): FrameBatch | Promise<FrameBatch> {
    const snapshot = this.frameAt(this.latest.time, true);
    return this.snapshotDelayMs === undefined ? snapshot : new Promise((resolve) => setTimeout(() => resolve(snapshot), this.snapshotDelayMs));
  }
  connections() {
    return [];
  }
  diagnostics() {
    return source.diagnostics();
  }
  subscribe<Stream extends StreamName>(stream: Stream, listener: (data: HostStreams[Stream]) => void): () => void {
    if (stream !== 'frame') return () => undefined;
    const frameListener = listener as (frame: FrameBatch) => void;
    this.frameListeners.add(frameListener);
    return () => this.frameListeners.delete(frameListener);
  }
}

/** Opens a view that subscribes to frames and then stops reading, as a stuck or hostile client does. */
async function openStalledView(url: string): Promise<RawSocket> {
  const raw = await openRaw({}, url);
  raw.sendJson({ type: 'request', id: 1, method: 'subscribe', params: { streams: ['frame'] } });
  await raw.next((message) => message.id === 1);
  raw.socket.pause();
  return raw;
}

const isFrame = (message: Received) => message.type === 'event' && message.stream === 'frame';
const frameOf = (message: Received) => message.data as FrameBatch;

describe('views that do not read', () => {
  it.each([
    ['at once', undefined],
    ['later, as a replay does', 20],
  ])('coalesce their frames, so the host keeps a bounded number of bytes for them, and get a full snapshot (made %s) once they read again', async (_, snapshotDelayMs) => {
    const flood = new FloodSource(20_000, snapshotDelayMs);
    const frameBytes = JSON.stringify({ type: 'event', stream: 'frame', data: flood.latest }).length;
    const flooded = await startExtra({ source: flood });
    const url = `ws://127.0.0.1:${flooded.port}${websocketPath}`;
    const viewCount = 6;
    const views: RawSocket[] = [];
    for (let index = 0; index < viewCount; index++) views.push(await openStalledView(url));

    const framesSent = 80;
    let mostBuffered = 0;
    let time = 2;
    for (; time < 2 + framesSent; time++) {
      flood.emit(time);
      mostBuffered = Math.max(mostBuffered, flooded.bufferedBytes());
      await new Promise((resolve) => setImmediate(resolve));
    }
    const lastTime = time - 1;
    // Without backpressure all of it would wait in the host: far more than the sockets' kernel buffers take.
    expect(frameBytes * framesSent * viewCount).toBeGreaterThan(200 * 1024 * 1024);
    // They did fall behind (bytes had to wait in the host) …
    expect(mostBuffered).toBeGreaterThan(defaultViewBufferLimits.frameBacklogBytes);
    // … but never by more than the backlog and one frame each, far under the host's budget.
    expect(mostBuffered).toBeLessThanOrEqual(viewCount * (defaultViewBufferLimits.frameBacklogBytes + frameBytes));
    expect(mostBuffered).toBeLessThan(defaultViewBufferLimits.maxBufferedBytesTotal);
    // Behind on frames is not hopeless: every view is still connected.
    expect(flooded.views()).toBe(viewCount);

    // A request made while behind is answered, never dropped.
    views.forEach((view, index) => view.sendJson({ type: 'request', id: 100 + index, method: 'getStatus', params: {} }));
    await sleep(100);
    for (const view of views) view.socket.resume();
    for (const [index, view] of views.entries()) {
      expect(await view.next((message) => message.id === 100 + index)).toMatchObject({ ok: true });
      const snapshot = frameOf(await view.next((message) => isFrame(message) && frameOf(message).full && frameOf(message).time === lastTime));
      expect(snapshot.signalValue).toEqual(flood.latest.signalValue);
      expect(view.messages.filter(isFrame).length).toBeLessThan(framesSent);
    }
    // Caught up, they get every frame again, in order.
    flood.emit(lastTime + 1);
    flood.emit(lastTime + 2);
    for (const view of views) {
      await view.next((message) => isFrame(message) && frameOf(message).time === lastTime + 2);
      const times = view.messages.filter(isFrame).map((message) => frameOf(message).time);
      expect(times.slice(-3)).toEqual([lastTime, lastTime + 1, lastTime + 2]);
    }
  }, 30_000);

  it('get the frames cut while their snapshot was being made after it, in order', async () => {
    const flood = new FloodSource(20_000, 200);
    const flooded = await startExtra({ source: flood });
    const view = await openStalledView(`ws://127.0.0.1:${flooded.port}${websocketPath}`);
    let time = 2;
    // Behind: more than the backlog waits, and a frame more had to be dropped.
    for (let extra = 0; extra < 2; time++) {
      if (time > 500) throw new Error('the view never fell behind');
      if (flooded.bufferedBytes() > defaultViewBufferLimits.frameBacklogBytes) extra++;
      flood.emit(time);
      await new Promise((resolve) => setImmediate(resolve));
    }
    flood.signals = 10;
    view.socket.resume();
    // Small frames every 10 ms, while the snapshot takes 200 ms to make.
    const end = Date.now() + 800;
    for (; Date.now() < end; time++) {
      flood.emit(time);
      await sleep(10);
    }
    const lastTime = time - 1;
    await view.next((message) => isFrame(message) && frameOf(message).time === lastTime);
    const frames = view.messages.filter(isFrame).map(frameOf);
    const snapshotAt = frames.findLastIndex((frame) => frame.full);
    expect(snapshotAt).toBeGreaterThan(0);
    const after = frames.slice(snapshotAt).map((frame) => frame.time);
    expect(after.length).toBeGreaterThan(20);
    expect(after).toEqual(after.map((_, index) => after[0]! + index));
    expect(after.at(-1)).toBe(lastTime);
  });

  it('are cut off, with the reason, once they stop reading for longer than allowed', async () => {
    const flood = new FloodSource(20_000);
    const flooded = await startExtra({ source: flood, bufferLimits: { stalledViewTimeoutMs: 300 } });
    const url = `ws://127.0.0.1:${flooded.port}${websocketPath}`;
    const stalled = await openStalledView(url);
    const reading = await openRaw({}, url);
    for (let time = 2; flooded.bufferedBytes() <= defaultViewBufferLimits.frameBacklogBytes; time++) {
      if (time > 500) throw new Error('the stalled view never fell behind');
      flood.emit(time);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => flooded.views() === 1, 'the stalled view to be cut off');
    expect(logged.some((line) => line.includes('view stopped reading for 0.3 s'))).toBe(true);
    expect(reading.socket.readyState).toBe(WebSocket.OPEN);
    expect(stalled.socket.readyState).not.toBe(WebSocket.CLOSED);
    stalled.socket.resume();
    const code = await new Promise<number>((resolve) => (stalled.socket.readyState === WebSocket.CLOSED ? resolve(-1) : stalled.socket.once('close', resolve)));
    // The close frame reaches it when the cut-off came before its connection was dropped; either way it is gone.
    expect([1013, 1006]).toContain(code);
  });

  it('are cut off when answers they do not read pile up past the cap per view, or past the budget of all views', async () => {
    const flood = new FloodSource(20_000);
    const snapshotBytes = JSON.stringify({ type: 'response', id: 1, ok: true, result: flood.snapshot() }).length;
    for (const [limits, reason] of [
      [{ maxBufferedBytesPerView: 2 * 1024 * 1024 }, 'view too slow'],
      [{ maxBufferedBytesTotal: 3 * 1024 * 1024 }, 'host send budget'],
    ] as const) {
      const flooded = await startExtra({ source: flood, bufferLimits: limits });
      const url = `ws://127.0.0.1:${flooded.port}${websocketPath}`;
      const views = [await openStalledView(url), await openStalledView(url), await openStalledView(url)];
      let mostBuffered = 0;
      // Answers are never dropped, so each request adds its answer to what waits.
      for (let round = 0; round < 30 && flooded.views() === views.length; round++) {
        views.forEach((view, index) => view.sendJson({ type: 'request', id: 1000 + round * 10 + index, method: 'getSnapshot', params: {} }));
        await sleep(20);
        mostBuffered = Math.max(mostBuffered, flooded.bufferedBytes());
      }
      await until(() => flooded.views() < views.length, `a view to be cut off (${reason})`);
      expect(logged.some((line) => line.includes(reason)), reason).toBe(true);
      const cap = 'maxBufferedBytesPerView' in limits ? views.length * (limits.maxBufferedBytesPerView + snapshotBytes) : limits.maxBufferedBytesTotal + views.length * snapshotBytes;
      expect(mostBuffered, reason).toBeLessThanOrEqual(cap);
    }
  }, 30_000);
});
