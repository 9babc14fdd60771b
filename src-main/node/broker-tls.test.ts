import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { stringify } from 'yaml';
import type { ConnectionStatus } from '../common/contract.ts';
import { parsePlantOrThrow } from '../common/parse-plant.ts';
import type { PlantInput } from '../common/plant-schema.ts';
import { BrokerConnection } from './broker-connection.ts';
import { maxPemFileBytes, untrustedWarning } from './broker-client-options.ts';
import { LiveSource } from './live-source.ts';
import { freePort } from './testing/loopback-ports.ts';
import { mosquittoPath, startMosquitto, type MosquittoBroker } from './testing/mosquitto-broker.ts';
import { createTestCertificates, opensslAvailable, type TestCertificates } from './testing/test-certificates.ts';

/** A broker as a plant file gives it. */
type BrokerInput = NonNullable<PlantInput['brokers']>[number];

const cliFile = fileURLToPath(new URL('../../bin/twinline.js', import.meta.url));
const password = 'right-horse-battery';
const wrongPassword = 'wrong-staple-9431';
const refusedCredentials = 'the broker refused the username or password';
const untrustedCa = 'not signed by a trusted CA: give the CA in tls.ca (or, insecure, tls.allowUntrusted)';

/** A plant of one machine with one signal, read from the given broker. */
function plantWith(broker: BrokerInput) {
  return parsePlantOrThrow(
    stringify({
      name: 'TLS test',
      brokers: [broker],
      machines: [{ id: 'm', name: 'M', area: 'A', line: 'L', primitive: { shape: 'box' }, signals: [{ id: 't', topic: 'plant/m/t' }] }],
    }),
  );
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(!mosquittoPath || !opensslAvailable)('secured broker connections against a real mosquitto', () => {
  let certificates: TestCertificates;
  /** TLS with the CA's server certificate and a password. */
  let tlsBroker: MosquittoBroker;
  /** TLS that requires a client certificate signed by the CA. */
  let clientCertificateBroker: MosquittoBroker;
  /** TLS with a self-signed certificate. */
  let untrustedBroker: MosquittoBroker;
  /** TLS with a certificate made out for elsewhere.example only. */
  let otherHostBroker: MosquittoBroker;
  const sources: LiveSource[] = [];
  const connections: BrokerConnection[] = [];
  const folders: string[] = [];

  beforeAll(async () => {
    certificates = createTestCertificates();
    const tls = { caFile: certificates.caFile, ...certificates.server };
    tlsBroker = await startMosquitto({ users: { viewer: password }, tls });
    clientCertificateBroker = await startMosquitto({ tls: { ...tls, requireClientCertificate: true } });
    untrustedBroker = await startMosquitto({ tls: { caFile: certificates.caFile, ...certificates.untrustedServer } });
    otherHostBroker = await startMosquitto({ tls: { caFile: certificates.caFile, ...certificates.otherHostServer } });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([tlsBroker, clientCertificateBroker, untrustedBroker, otherHostBroker].map((broker) => broker?.close()));
    certificates?.remove();
  });

  afterEach(async () => {
    await Promise.all(sources.splice(0).map((source) => source.stop()));
    await Promise.all(connections.splice(0).map((connection) => connection.stop()));
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  /** Watches the plant's broker as the host does, with TLS files relative to the certificates' folder. */
  function watch(broker: BrokerInput): LiveSource {
    const source = new LiveSource({
      plant: plantWith(broker),
      plantDirectory: certificates.folder,
      reconnectPolicy: { firstDelayMs: 200, maxDelayMs: 1000, connectTimeoutMs: 1000 },
      log: () => undefined,
    });
    sources.push(source);
    source.start();
    return source;
  }

  const status = (source: LiveSource): ConnectionStatus => source.connections()[0]!;
  const connected = (source: LiveSource) => waitFor('the broker to connect', () => status(source).state === 'connected' && status(source));
  const failed = (source: LiveSource, text: string) => waitFor(`the error "${text}"`, () => status(source).lastError?.includes(text) && status(source));

  it('connects to a TLS broker with the CA in tls.ca, a file relative to the plant file, and receives its telemetry', async () => {
    const source = watch({ id: 'line', url: tlsBroker.url, username: 'viewer', password, tls: { ca: 'ca.crt' } });
    expect((await connected(source)).warnings).toEqual([]);
    await waitFor('the subscription', () => status(source).subscriptions === 1);
    const publisher = await mqtt.connectAsync(tlsBroker.url, { ca: readFileSync(certificates.caFile), username: 'viewer', password, reconnectPeriod: 0 });
    await publisher.publishAsync('plant/m/t', '21.5');
    await publisher.endAsync();
    await waitFor('the sample', () => source.diagnostics().samplesAccepted === 1);
  });

  it('says the certificate is not trusted when tls.ca is missing, and never shows the password', async () => {
    const source = watch({ id: 'line', url: tlsBroker.url, username: 'viewer', password });
    const failure = await failed(source, untrustedCa);
    expect(failure.state).not.toBe('connected');
    expect(JSON.stringify(source.connections())).not.toContain(password);
  });

  it('says the username or password was refused, over MQTT 3.1.1 and MQTT 5, and never shows the password', async () => {
    for (const protocol of [4, 5] as const) {
      const source = watch({ id: 'line', url: tlsBroker.url, protocol, username: 'viewer', password: wrongPassword, tls: { ca: 'ca.crt' } });
      await failed(source, refusedCredentials);
      expect(JSON.stringify(source.connections())).not.toContain(wrongPassword);
    }
  });

  it('connects with a client certificate to a broker that requires one, and says what is missing without it', async () => {
    const withCertificate = watch({ id: 'line', url: clientCertificateBroker.url, tls: { ca: 'ca.crt', cert: certificates.client.certFile, key: certificates.client.keyFile } });
    await connected(withCertificate);
    const without = watch({ id: 'line', url: clientCertificateBroker.url, tls: { ca: 'ca.crt' } });
    await failed(without, 'the broker requires a client certificate: give tls.cert and tls.key');
    const foreign = watch({ id: 'line', url: clientCertificateBroker.url, tls: { ca: 'ca.crt', cert: certificates.untrustedServer.certFile, key: certificates.untrustedServer.keyFile } });
    await failed(foreign, 'the broker does not accept our client certificate');
    expect(status(without).state).not.toBe('connected');
  });

  it('refuses a self-signed broker certificate, and with allowUntrusted connects and carries the warning', async () => {
    const refused = watch({ id: 'line', url: untrustedBroker.url, tls: { ca: 'ca.crt' } });
    await failed(refused, "the broker's certificate is self-signed, not signed by a trusted CA: give it (or its CA) in tls.ca (or, insecure, tls.allowUntrusted)");
    const allowed = watch({ id: 'line', url: untrustedBroker.url, tls: { allowUntrusted: true } });
    expect((await connected(allowed)).warnings).toEqual([untrustedWarning]);
    expect(untrustedWarning).toBe('certificate not verified: anyone in the path can read and change the telemetry');
  });

  it('says when the certificate names another host, and connects with tls.servername set to that name', async () => {
    const mismatched = watch({ id: 'line', url: otherHostBroker.url, tls: { ca: 'ca.crt' } });
    await failed(mismatched, "the broker's certificate is made out for another host name");
    const named = watch({ id: 'line', url: otherHostBroker.url, tls: { ca: 'ca.crt', servername: 'elsewhere.example' } });
    await connected(named);
  });

  it('speaks MQTT 5 when asked, as mosquitto logs it (p5), and MQTT 3.1.1 otherwise (p2)', async () => {
    const five = watch({ id: 'line', url: tlsBroker.url, protocol: 5, clientId: 'twinline-speaks-5', username: 'viewer', password, tls: { ca: 'ca.crt' } });
    expect((await connected(five)).protocol).toBe(5);
    const four = watch({ id: 'line', url: tlsBroker.url, clientId: 'twinline-speaks-4', username: 'viewer', password, tls: { ca: 'ca.crt' } });
    await connected(four);
    const log = tlsBroker.log().join('\n');
    expect(log).toMatch(/New client connected from \S+ as twinline-speaks-5 \(p5, c1,/);
    expect(log).toMatch(/New client connected from \S+ as twinline-speaks-4 \(p2, c1,/);
  });

  it('keeps a persistent session for its expiry: clean 0 at the broker, QoS 1 messages from the absence delivered, none once it expired', async () => {
    const ca = readFileSync(certificates.caFile);
    /** Connects with a persistent session, leaves, has a message published meanwhile, returns: how many arrived. */
    const missedWhileAway = async (clientId: string, expiry: number, awayMs: number) => {
      const broker = plantWith({ id: 'line', url: tlsBroker.url, protocol: 5, clientId, username: 'viewer', password, tls: { ca: 'ca.crt' }, session: { persistent: true, expiry } }).brokers[0]!;
      const endpoint = { ...broker, url: tlsBroker.url, plantDirectory: certificates.folder };
      const received: string[] = [];
      const open = async () => {
        const statuses: ConnectionStatus[] = [];
        const connection = new BrokerConnection(endpoint, {
          subscriptions: [{ topic: 'plant/persist', qos: 1 }],
          events: { onMessage: (_topic, payload) => received.push(payload.toString()), onStatus: (next) => statuses.push(next) },
        });
        connections.push(connection);
        connection.start();
        await waitFor('the subscription', () => connection.status().subscriptions === 1);
        return connection;
      };
      await (await open()).stop();
      const publisher = await mqtt.connectAsync(tlsBroker.url, { ca, username: 'viewer', password, reconnectPeriod: 0 });
      await publisher.publishAsync('plant/persist', `for ${clientId}`, { qos: 1 });
      await publisher.endAsync();
      await new Promise((resolve) => setTimeout(resolve, awayMs));
      await open();
      // A message the session kept arrives right after the CONNACK; give it time to.
      await new Promise((resolve) => setTimeout(resolve, 500));
      return received;
    };
    expect(await missedWhileAway('twinline-kept', 3600, 0)).toEqual(['for twinline-kept']);
    expect(await missedWhileAway('twinline-expired', 1, 2500)).toEqual([]);
    expect(tlsBroker.log().join('\n')).toMatch(/New client connected from \S+ as twinline-kept \(p5, c0,/);
  });

  it('refuses at start a tls block on a plain URL, and a PEM file that is missing or too large, naming the broker and the file but not its contents', () => {
    const start = (broker: BrokerInput) => () => new BrokerConnection({ ...plantWith(broker).brokers[0]!, url: broker.url!, plantDirectory: certificates.folder }, { subscriptions: [], events: { onMessage: () => undefined, onStatus: () => undefined } });
    expect(start({ id: 'line', url: 'mqtt://127.0.0.1:1883', tls: { ca: 'ca.crt' } })).toThrow('broker "line": its tls settings need a TLS URL (mqtts:// or wss://), but its URL is mqtt://');
    expect(start({ id: 'line', url: 'mqtts://127.0.0.1:8883', tls: { ca: 'no-such.crt' } })).toThrow(`broker "line": tls.ca file ${join(certificates.folder, 'no-such.crt')} cannot be opened: ENOENT`);
    const secret = 'SECRET-KEY-MATERIAL';
    writeFileSync(join(certificates.folder, 'huge.key'), `-----BEGIN PRIVATE KEY-----\n${secret}\n${'A'.repeat(maxPemFileBytes)}`);
    let message = '';
    try {
      start({ id: 'line', url: 'mqtts://127.0.0.1:8883', tls: { cert: 'ca.crt', key: 'huge.key' } })();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`broker "line": tls.key file ${join(certificates.folder, 'huge.key')} is`);
    expect(message).toContain(`a PEM file may have at most ${maxPemFileBytes}`);
    expect(message).not.toContain(secret);
    writeFileSync(join(certificates.folder, 'not-pem.crt'), secret);
    expect(start({ id: 'line', url: 'mqtts://127.0.0.1:8883', tls: { ca: 'not-pem.crt' } })).toThrow(/tls.ca file .*not-pem.crt is not a PEM file/);
  });

  it('warns about a password sent over a plain mqtt:// connection', async () => {
    const plain = await startMosquitto({ users: { viewer: password } });
    try {
      const source = watch({ id: 'line', url: plain.url, username: 'viewer', password });
      const connectedStatus = await connected(source);
      expect(connectedStatus.warnings).toEqual(['password sent unencrypted over mqtt://: anyone in the path can read it; use mqtts:// or wss://']);
      const noPassword = watch({ id: 'line', url: tlsBroker.url.replace('mqtts:', 'mqtt:') });
      expect(status(noPassword).warnings).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('says when nothing listens, when the host name does not resolve, and when the broker never answers', async () => {
    const refused = watch({ id: 'line', url: `mqtt://127.0.0.1:${await freePort()}` });
    await failed(refused, 'connection refused at 127.0.0.1:');
    const unknown = watch({ id: 'line', url: 'mqtt://no-such-broker.invalid:1883' });
    await failed(unknown, 'the host name of no-such-broker.invalid:1883 cannot be resolved (DNS');
    // Accepts the TCP connection and never answers the CONNECT.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      const quiet = watch({ id: 'line', url: `mqtt://127.0.0.1:${port}` });
      await failed(quiet, `the broker at 127.0.0.1:${port} did not answer the connection request in time (timeout)`);
    } finally {
      silent.close();
    }
  });

  /** Runs `twinline record` on a plant file in its own folder (its CA under certs/), until a line matches. */
  async function recordUntil(broker: BrokerInput, pattern: RegExp): Promise<string> {
    const folder = mkdtempSync(join(tmpdir(), 'twinline-record-tls-'));
    folders.push(folder);
    mkdirSync(join(folder, 'certs'));
    copyFileSync(certificates.caFile, join(folder, 'certs', 'ca.pem'));
    const plantFile = join(folder, 'plant.yaml');
    writeFileSync(
      plantFile,
      stringify({ name: 'TLS record test', brokers: [broker], machines: [{ id: 'm', name: 'M', area: 'A', line: 'L', primitive: { shape: 'box' }, signals: [{ id: 't', topic: 'plant/m/t' }] }] }),
    );
    const child = spawn(process.execPath, [cliFile, 'record', '--plant', plantFile, '--out', join(folder, 'recordings'), '--broker', `line=${broker.url}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await waitFor(`a line matching ${pattern} from twinline record`, () => pattern.test(output) || child.exitCode !== null, 15_000);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(output).toMatch(pattern);
    return output;
  }

  it('twinline record logs a refused password and an untrusted certificate as the broker state changes', async () => {
    const refused = await recordUntil({ id: 'line', url: tlsBroker.url, username: 'viewer', password: wrongPassword, tls: { ca: 'certs/ca.pem' } }, /broker line: \w+ \(the broker refused the username or password/);
    expect(refused).not.toContain(wrongPassword);
    await recordUntil({ id: 'line', url: untrustedBroker.url, tls: { ca: 'certs/ca.pem' } }, /broker line: \w+ \(the broker's certificate is self-signed, not signed by a trusted CA/);
    await recordUntil({ id: 'line', url: tlsBroker.url, username: 'viewer', password, tls: { ca: 'certs/ca.pem' } }, /broker line: connected/);
  }, 60_000);
});

describe.skipIf(!opensslAvailable)('broker connections over WebSockets (Aedes: this mosquitto has no WebSocket listener)', () => {
  let certificates: TestCertificates;
  const stops: Array<() => Promise<void>> = [];

  beforeAll(() => {
    certificates = createTestCertificates();
  });
  afterAll(() => certificates?.remove());
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  /** An Aedes broker behind a WebSocket server over HTTP or, with `tls`, HTTPS; returns its port. */
  async function webSocketBroker(tls: boolean): Promise<number> {
    const broker = await Aedes.createBroker();
    const server: HttpServer = tls
      ? createHttpsServer({ cert: readFileSync(certificates.otherHostServer.certFile), key: readFileSync(certificates.otherHostServer.keyFile) })
      : createHttpServer();
    const sockets = new WebSocketServer({ server });
    sockets.on('connection', (socket) => broker.handle(createWebSocketStream(socket)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    });
    return (server.address() as { port: number }).port;
  }

  /** Connects as the host does and waits until the broker connected or gave an error. */
  async function connect(broker: BrokerInput): Promise<ConnectionStatus> {
    const endpoint = { ...plantWith(broker).brokers[0]!, url: broker.url!, plantDirectory: certificates.folder };
    const connection = new BrokerConnection(endpoint, { subscriptions: [{ topic: 'plant/m/t', qos: 0 }], events: { onMessage: () => undefined, onStatus: () => undefined }, policy: { firstDelayMs: 200, maxDelayMs: 1000 } });
    stops.push(() => connection.stop());
    connection.start();
    return waitFor('the connection to settle', () => (connection.status().state === 'connected' || connection.status().lastError !== undefined) && connection.status());
  }

  it('connects over ws:// and over wss:// with tls.ca and tls.servername, and refuses wss:// without the name', async () => {
    const plain = await webSocketBroker(false);
    const overWebSocket = await connect({ id: 'line', url: `ws://127.0.0.1:${plain}/` });
    expect([overWebSocket.state, overWebSocket.lastError]).toEqual(['connected', undefined]);
    const secure = await webSocketBroker(true);
    const named = await connect({ id: 'line', url: `wss://127.0.0.1:${secure}/`, tls: { ca: 'ca.crt', servername: 'elsewhere.example' } });
    expect(named.state).toBe('connected');
    const unnamed = await connect({ id: 'line', url: `wss://127.0.0.1:${secure}/`, tls: { ca: 'ca.crt' } });
    expect(unnamed.lastError).toContain("the broker's certificate is made out for another host name");
  });
});
