/**
 * Publisher half of the ingest benchmark, run as its own process (`fork`). It offers a fixed rate of
 * MQTT QoS 0 messages round-robin over `bench/mNNNN/sK`, each payload `{"value": <publish time>}`
 * (ms since the epoch on the benchmark's shared clock, sub-ms), so the receiver can measure latency
 * from the value alone.
 *
 * Two modes: `connect` publishes to a broker; `serve` plays the broker's part towards one subscriber
 * (CONNACK, SUBACK, then the same PUBLISH stream), which measures the host with no broker in the way.
 *
 * It speaks MQTT 3.1.1 directly over a socket instead of using MQTT.js: on a 2-core machine every
 * cycle the publisher spends is taken from the broker and the host being measured, so it does no more
 * than encode PUBLISH packets into one buffer per millisecond tick and write it.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { sharedClockNow } from './shared-clock.ts';

/** What the publisher reports to the benchmark over IPC. */
export type PublisherReport =
  | { type: 'listening'; port: number }
  | { type: 'publishing'; startTime: number }
  | {
      type: 'done';
      warmupPublished: number;
      measuredPublished: number;
      /** Scheduled messages never sent because the broker stopped reading or this process fell too far behind. */
      unsent: number;
      measureStart: number;
      measureEnd: number;
      cpuUserMicros: number;
      cpuSystemMicros: number;
    }
  | { type: 'failed'; message: string };

/** Arguments, in order, that the benchmark passes to this script. */
export interface PublisherArguments {
  mode: 'connect' | 'serve';
  /** The broker to publish to; unused when serving. */
  url: string;
  rate: number;
  warmupSeconds: number;
  seconds: number;
  machines: number;
  signalsPerMachine: number;
}

/** The topic of one signal of the synthetic plant; shared with the benchmark so both sides agree. */
export function benchTopic(machine: number, signal: number): string {
  return `bench/m${String(machine).padStart(4, '0')}/s${signal}`;
}

/** The argument list for `fork`. */
export function publisherArgv(options: PublisherArguments): string[] {
  return [options.mode, options.url, options.rate, options.warmupSeconds, options.seconds, options.machines, options.signalsPerMachine].map(String);
}

/** Beyond this much unsent data in the socket the broker is not keeping up; the publisher stops queueing. */
const maxSocketBacklogBytes = 1024 * 1024;
/** After a stall the publisher catches up at most this much schedule, so a pause does not become a flood. */
const maxCatchUpMs = 50;
/** Enough for one PUBLISH of the longest topic and payload used here. */
const maxPacketBytes = 96;

function report(message: PublisherReport): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

function writeRemainingLength(buffer: Buffer, offset: number, length: number): number {
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    buffer[offset++] = byte;
  } while (length > 0);
  return offset;
}

function connectPacket(clientId: string): Buffer {
  const id = Buffer.from(clientId, 'utf8');
  // Variable header: protocol name "MQTT", level 4 (3.1.1), flags: clean session, keep-alive 0 (off).
  const variable = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x00]);
  const body = Buffer.concat([variable, Buffer.from([id.length >> 8, id.length & 0xff]), id]);
  const header = Buffer.alloc(5);
  header[0] = 0x10;
  const end = writeRemainingLength(header, 1, body.length);
  return Buffer.concat([header.subarray(0, end), body]);
}

async function openSession(url: string): Promise<Socket> {
  const parsed = new URL(url);
  const socket = connect(Number(parsed.port || 1883), parsed.hostname);
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => resolve());
  });
  socket.write(connectPacket(`twinline-bench-publisher-${process.pid}`));
  const connack = await new Promise<Buffer>((resolve, reject) => {
    socket.once('data', resolve);
    socket.once('close', () => reject(new Error('broker closed the connection before CONNACK')));
  });
  if (connack[0] !== 0x20 || connack[3] !== 0x00) throw new Error(`broker refused the connection (CONNACK ${connack.toString('hex')})`);
  // Nothing else comes back for QoS 0 publishes; reading keeps the socket from stalling if it does.
  socket.on('data', () => undefined);
  return socket;
}

/** Writes PUBLISH packets to the socket at the offered rate for warm-up plus measurement; returns what was sent. */
async function pump(socket: Socket, options: PublisherArguments): Promise<Extract<PublisherReport, { type: 'done' }>> {
  const topics: Buffer[] = [];
  for (let machine = 0; machine < options.machines; machine++) {
    for (let signal = 0; signal < options.signalsPerMachine; signal++) topics.push(Buffer.from(benchTopic(machine, signal), 'latin1'));
  }
  const startTime = sharedClockNow();
  const measureStart = startTime + options.warmupSeconds * 1000;
  const measureEnd = measureStart + options.seconds * 1000;
  const perMillisecond = options.rate / 1000;
  let scheduled = 0;
  let warmupPublished = 0;
  let measuredPublished = 0;
  let unsent = 0;
  let topicCursor = 0;
  let cpuAtMeasureStart: NodeJS.CpuUsage | undefined;
  await report({ type: 'publishing', startTime });

  await new Promise<void>((finish) => {
    const tick = () => {
      const now = sharedClockNow();
      if (cpuAtMeasureStart === undefined && now >= measureStart) cpuAtMeasureStart = process.cpuUsage();
      const due = Math.floor((Math.min(now, measureEnd) - startTime) * perMillisecond) - scheduled;
      const affordable = socket.writableLength > maxSocketBacklogBytes ? 0 : Math.min(due, Math.ceil(perMillisecond * maxCatchUpMs));
      unsent += due - affordable;
      scheduled += due;
      if (affordable > 0) {
        const burst = Buffer.allocUnsafe(affordable * maxPacketBytes);
        let offset = 0;
        for (let message = 0; message < affordable; message++) {
          const time = sharedClockNow();
          const payload = `{"value":${time}}`;
          const topic = topics[topicCursor]!;
          topicCursor = topicCursor + 1 === topics.length ? 0 : topicCursor + 1;
          burst[offset++] = 0x30;
          offset = writeRemainingLength(burst, offset, 2 + topic.length + payload.length);
          burst[offset++] = topic.length >> 8;
          burst[offset++] = topic.length & 0xff;
          offset += topic.copy(burst, offset);
          offset += burst.write(payload, offset, 'latin1');
          if (time < measureStart) warmupPublished++;
          else measuredPublished++;
        }
        socket.write(burst.subarray(0, offset));
      }
      if (now >= measureEnd) return finish();
      setTimeout(tick, 1);
    };
    tick();
  });
  const cpu = process.cpuUsage(cpuAtMeasureStart);
  return {
    type: 'done',
    warmupPublished,
    measuredPublished,
    unsent,
    measureStart,
    measureEnd,
    cpuUserMicros: cpu.user,
    cpuSystemMicros: cpu.system,
  };
}

/** Publishes to a broker, then disconnects once everything has gone out. */
async function publishToBroker(options: PublisherArguments): Promise<void> {
  const socket = await openSession(options.url);
  const result = await pump(socket, options);
  // The end callback fires once everything queued, the last burst included, has reached the kernel.
  await new Promise<void>((resolve) => socket.end(Buffer.from([0xe0, 0x00]), () => resolve()));
  await report(result);
}

/**
 * Acts as the broker for one subscriber: answers CONNECT, SUBSCRIBE and PINGREQ, then pumps the
 * stream into the subscriber's socket. Stays connected afterwards, so the host sees no outage.
 */
async function serveSubscriber(options: PublisherArguments): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const subscribed = new Promise<Socket>((resolve) => {
    server.once('connection', (socket) => {
      socket.setNoDelay(true);
      // Later connections (a reconnect after the run) are refused: one subscriber is the whole test.
      server.on('connection', (extra) => extra.destroy());
      let pending: Buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        for (;;) {
          const packet = readPacket(pending);
          if (!packet) break;
          pending = pending.subarray(packet.length);
          const kind = packet.header >> 4;
          if (kind === 1) socket.write(Buffer.from([0x20, 0x02, 0x00, 0x00]));
          else if (kind === 12) socket.write(Buffer.from([0xd0, 0x00]));
          else if (kind === 8) {
            socket.write(subackPacket(packet.body));
            resolve(socket);
          }
        }
      });
      socket.on('error', () => undefined);
    });
  });
  await report({ type: 'listening', port: (server.address() as AddressInfo).port });
  const socket = await subscribed;
  const result = await pump(socket, options);
  while (socket.writableLength > 0 && !socket.destroyed) await new Promise((resolve) => setTimeout(resolve, 10));
  await report(result);
}

/** One whole MQTT packet from the front of `data`, or undefined until more arrives. */
function readPacket(data: Buffer): { header: number; body: Buffer; length: number } | undefined {
  let length = 0;
  let multiplier = 1;
  let offset = 1;
  for (;;) {
    if (offset >= data.length) return undefined;
    const byte = data[offset++]!;
    length += (byte & 0x7f) * multiplier;
    multiplier *= 128;
    if ((byte & 0x80) === 0) break;
  }
  if (data.length < offset + length) return undefined;
  return { header: data[0]!, body: data.subarray(offset, offset + length), length: offset + length };
}

/** SUBACK granting QoS 0 to every filter of a SUBSCRIBE body. */
function subackPacket(subscribe: Buffer): Buffer {
  let filters = 0;
  for (let offset = 2; offset + 2 <= subscribe.length; filters++) offset += 2 + subscribe.readUInt16BE(offset) + 1;
  const header = Buffer.alloc(5);
  header[0] = 0x90;
  const end = writeRemainingLength(header, 1, 2 + filters);
  return Buffer.concat([header.subarray(0, end), subscribe.subarray(0, 2), Buffer.alloc(filters)]);
}



function parseArguments(argv: string[]): PublisherArguments {
  const [mode, url, rate, warmupSeconds, seconds, machines, signalsPerMachine] = argv;
  const numbers = [rate, warmupSeconds, seconds, machines, signalsPerMachine].map(Number);
  if ((mode !== 'connect' && mode !== 'serve') || !url || numbers.some((value) => !Number.isFinite(value) || value < 0)) {
    throw new Error('usage: publisher-process.ts connect|serve URL RATE WARMUP_SECONDS SECONDS MACHINES SIGNALS_PER_MACHINE');
  }
  return { mode, url, rate: numbers[0]!, warmupSeconds: numbers[1]!, seconds: numbers[2]!, machines: numbers[3]!, signalsPerMachine: numbers[4]! };
}

const isMain = process.argv[1] !== undefined && import.meta.filename === process.argv[1];
if (isMain) {
  const options = parseArguments(process.argv.slice(2));
  // However the run goes, this process never outlives its schedule by more than a few seconds.
  setTimeout(() => process.exit(3), (options.warmupSeconds + options.seconds + 15) * 1000).unref();
  process.on('disconnect', () => process.exit(0));
  // A serving publisher stays up, connected, until the benchmark has drained the host and stops it.
  (options.mode === 'serve' ? serveSubscriber(options) : publishToBroker(options).then(() => process.exit(0)))
    .catch(async (error: unknown) => {
      await report({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    });
}
