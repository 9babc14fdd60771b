/**
 * Ingest throughput and latency, end to end on real processes: publisher process → broker process
 * (mosquitto, else Aedes) → `LiveSource` in this process → 33 ms frames → WebSocket (`startViewServer`)
 * → `HostClient` → `applyFrame` into a frame buffer. Each payload's value is its publish time, so
 * latency is "now − value" wherever a value is seen.
 *
 * Also measured, to show where the limit is: the host with no broker in the way (the publisher
 * process serves MQTT itself), and `LiveSource.ingest` alone.
 *
 * Run alone: `node bench/ingest-throughput.ts [--rates 10000,50000,100000] [--direct-rates 50000,100000]
 * [--seconds 10] [--warmup 2] [--broker auto|mosquitto|aedes] [--quiet-wait 10]` (an empty list skips a part).
 */
import { availableParallelism } from 'node:os';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { plantSchema, type Plant } from '../src-main/common/plant-schema.ts';
import { LiveSource } from '../src-main/node/live-source.ts';
import { startBroker, stopChild, type BrokerPreference } from './brokers.ts';
import { countCommittedSamples } from './committed-samples.ts';
import { emptyWindow, openRig, type IngestRig } from './ingest-rig.ts';
import { unmeasuredReason } from './latency-histogram.ts';
import { launchPublisher, sleep, waitForDrain, waitUntil, type LaunchedPublisher } from './launch-publisher.ts';
import { cpuLabel, machineCpuSeconds, machineNote, processCpuSeconds, waitForQuietMachine } from './machine-load.ts';
import { printTable } from './print-table.ts';
import { benchTopic, type PublisherArguments, type PublisherReport } from './publisher-process.ts';
import { sharedClockNow, wallTimeOf } from './shared-clock.ts';

/** How the ingest benchmark runs. */
export interface IngestOptions {
  /** Offered rates through the broker. */
  rates: number[];
  /** Offered rates with the publisher serving the host directly, no broker. */
  directRates: number[];
  warmupSeconds: number;
  seconds: number;
  machines: number;
  signalsPerMachine: number;
  broker: BrokerPreference;
  /** Before each rate, how long to wait at most for other processes on the machine to go quiet. */
  maxQuietWaitSeconds: number;
}

/** What one offered rate achieved. */
export interface IngestRow {
  offeredRate: number;
  /** Warm-up and measured window together, so that dropped is exact. */
  published: number;
  received: number;
  accepted: number;
  /** Samples the host's recorder took in meanwhile: every accepted one, unless it failed. */
  recorded: number;
  /** Samples of this run read back from the recording files after the host's next commit: what reached the disk. */
  committed: number;
  recordingError: string | undefined;
  dropped: number;
  /** Publishes per second in the measured window, as the publisher managed them. */
  publishedRate: number;
  /** Messages published in the measured window that reached the host, per second. */
  achievedRate: number;
  /** Scheduled messages the publisher could not send: its socket was backed up (the reader is not keeping up). */
  unsent: number;
  endToEnd: { p50: number; p99: number; max: number };
  ingest: { p50: number; p99: number; max: number };
  /** Why this rate's latencies cannot be trusted (none seen, or some below zero), or undefined. */
  unmeasured: string | undefined;
  framesPerSecond: number;
  signalsPerFrame: number;
  frameKilobytes: number;
  /** CPU of this process (host and view), in % of one core. */
  benchCpuPercent: number;
  /** This process's CPU time per message received in the window. */
  benchMicrosecondsPerMessage: number;
  /** The same without the view's share (time in its message handler): the host's cost per message. */
  hostMicrosecondsPerMessage: number;
  eventLoopBusyPercent: number;
  /** NaN without a broker. */
  brokerCpuPercent: number;
  publisherCpuPercent: number;
  /** Kernel interrupt time (mostly loopback TCP), charged to no process. */
  interruptCpuPercent: number;
  /** CPU that other processes on the machine took meanwhile; results are only comparable when it is near 0. */
  otherCpuPercent: number;
  /** Whether the machine was quiet when the run started (see waitForQuietMachine). */
  startedQuiet: boolean;
}

/** LiveSource's own cost, without broker or socket: what the host code allows if nothing else were in the way. */
export interface IngestAloneResult {
  layout: string;
  messages: number;
  samplesPerMessage: number;
  microsecondsPerMessage: number;
  /** Mean cost of cutting one frame (33 ms worth of messages at 50k msg/s). */
  flushMilliseconds: number;
}

/** The whole benchmark's result. */
export interface IngestResult {
  broker: string;
  rows: IngestRow[];
  directRows: IngestRow[];
  alone: IngestAloneResult[];
}

const defaults: IngestOptions = {
  rates: [10_000, 50_000, 100_000],
  directRates: [50_000, 100_000, 150_000],
  warmupSeconds: 2,
  seconds: 10,
  machines: 2000,
  signalsPerMachine: 5,
  broker: 'auto',
  maxQuietWaitSeconds: 8,
};

/** Longer than the host's commit interval (1 s), so that everything it accepted has been committed. */
const commitWaitMs = 1500;

/** A plant of `machines` × `signalsPerMachine` signals on `bench/mNNNN/sK`, with limits far outside the publish-time values. */
export function syntheticPlant(machines: number, signalsPerMachine: number): Plant {
  return plantSchema.parse({
    name: `Benchmark plant (${machines} machines)`,
    machines: Array.from({ length: machines }, (_, machine) => ({
      id: `m${String(machine).padStart(4, '0')}`,
      name: `Machine ${machine}`,
      area: `Area ${Math.floor(machine / 200)}`,
      line: `Line ${Math.floor(machine / 20)}`,
      primitive: { shape: 'box' },
      position: [(machine % 50) * 3, 0, Math.floor(machine / 50) * 3],
      // Real limits, so that every sample runs the full rule path, placed where ≈1.7e12 (ms since the epoch) is ok.
      signals: Array.from({ length: signalsPerMachine }, (_, signal) => ({
        id: `s${signal}`,
        topic: benchTopic(machine, signal),
        period: 1,
        limits: { lowAlarm: -1, highWarn: 1e15, highAlarm: 2e15, deadband: 1 },
      })),
    })),
  });
}

/**
 * The same machines, but each publishing all its signals in one JSON message on `bench/mNNNN/all`
 * (`{"s0": …, "s1": …}`, one `path` per signal): the other common way plants publish.
 */
export function sharedTopicPlant(machines: number, signalsPerMachine: number): Plant {
  const plant = syntheticPlant(machines, signalsPerMachine);
  for (const machine of plant.machines) {
    for (const signal of machine.signals) {
      signal.topic = `bench/${machine.id}/all`;
      signal.path = signal.id;
    }
  }
  return plantSchema.parse(plant);
}

/** Publishes probes until the host has heard one, so that no counted message goes out before its subscription exists. */
async function waitForSubscription(source: LiveSource, url: string): Promise<void> {
  await waitUntil(() => source.connections()[0]?.state === 'connected', 10_000, 'the host to connect to the broker');
  const probe = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000 });
  try {
    await waitUntil(
      async () => {
        await probe.publishAsync(benchTopic(0, 0), '{"value":0}');
        return source.diagnostics().messagesReceived > 0;
      },
      10_000,
      'the host to receive a probe message',
    );
  } finally {
    await probe.endAsync(true);
  }
}

interface Snapshot {
  wall: number;
  cpu: NodeJS.CpuUsage;
  eventLoop: EventLoopUtilization;
  brokerCpu: number;
  machineCpu: { processes: number; interrupts: number };
  frames: number;
  signals: number;
  characters: number;
  viewMilliseconds: number;
}

/** Measures one offered rate from an already launched publisher, then stops it. */
async function measureRate(rate: number, options: IngestOptions, rig: IngestRig, publisher: LaunchedPublisher, brokerPid: number | undefined, startedQuiet: boolean): Promise<IngestRow> {
  const before = rig.source.diagnostics();
  const recordedBefore = rig.recording.status().samplesTotal;
  const window = emptyWindow();
  const takeSnapshot = (): Snapshot => ({
    wall: performance.now(),
    cpu: process.cpuUsage(),
    eventLoop: performance.eventLoopUtilization(),
    brokerCpu: processCpuSeconds(brokerPid),
    machineCpu: machineCpuSeconds(),
    frames: rig.stats.frames,
    signals: rig.stats.signals,
    characters: rig.stats.characters,
    viewMilliseconds: rig.stats.viewMilliseconds,
  });
  let atStart: Snapshot | undefined;
  let atEnd: Snapshot | undefined;
  const timers: Array<ReturnType<typeof setTimeout>> = [];
  let report: Extract<PublisherReport, { type: 'done' }>;
  let publishStart = Number.NaN;
  // The host stamps samples with its wall clock: reading what reached the disk starts from that time.
  let publishStartWall = Number.NaN;
  try {
    const startTime = await publisher.publishing;
    publishStart = startTime;
    publishStartWall = wallTimeOf(startTime);
    window.start = startTime + options.warmupSeconds * 1000;
    window.end = window.start + options.seconds * 1000;
    rig.window = window;
    timers.push(setTimeout(() => (atStart = takeSnapshot()), window.start - sharedClockNow()));
    timers.push(setTimeout(() => (atEnd = takeSnapshot()), window.end - sharedClockNow()));
    report = await publisher.done;
    await waitForDrain(() => rig.source.diagnostics().messagesReceived);
  } finally {
    timers.forEach(clearTimeout);
    rig.window = emptyWindow();
    await stopChild(publisher.child);
  }
  const after = rig.source.diagnostics();
  // Everything accepted is with the recorder now; its next once-a-second commit puts it on disk.
  await sleep(commitWaitMs);
  const committed = countCommittedSamples(rig.recordingsDirectory, publishStart, sharedClockNow(), publishStartWall).samples;
  const start = atStart ?? takeSnapshot();
  const end = atEnd ?? takeSnapshot();
  const wallSeconds = (end.wall - start.wall) / 1000;
  const cpuSeconds = (end.cpu.user - start.cpu.user + end.cpu.system - start.cpu.system) / 1e6;
  const frames = end.frames - start.frames;
  const published = report.warmupPublished + report.measuredPublished;
  const received = after.messagesReceived - before.messagesReceived;
  const benchCpuPercent = (cpuSeconds / wallSeconds) * 100;
  const hostCpuSeconds = Math.max(0, cpuSeconds - (end.viewMilliseconds - start.viewMilliseconds) / 1000);
  const brokerCpuPercent = ((end.brokerCpu - start.brokerCpu) / wallSeconds) * 100;
  const publisherCpuPercent = ((report.cpuUserMicros + report.cpuSystemMicros) / 1e6 / options.seconds) * 100;
  const processesPercent = ((end.machineCpu.processes - start.machineCpu.processes) / wallSeconds) * 100;
  const quantiles = (histogram: typeof window.ingest) => ({ p50: histogram.quantile(0.5), p99: histogram.quantile(0.99), max: histogram.max });
  return {
    offeredRate: rate,
    published,
    received,
    accepted: after.samplesAccepted - before.samplesAccepted,
    recorded: rig.recording.status().samplesTotal - recordedBefore,
    committed,
    recordingError: rig.recording.status().error,
    dropped: published - received,
    publishedRate: report.measuredPublished / options.seconds,
    achievedRate: window.received / options.seconds,
    unsent: report.unsent,
    endToEnd: quantiles(window.endToEnd),
    ingest: quantiles(window.ingest),
    unmeasured: unmeasuredReason(window.endToEnd) ?? unmeasuredReason(window.ingest),
    framesPerSecond: frames / wallSeconds,
    signalsPerFrame: frames === 0 ? 0 : (end.signals - start.signals) / frames,
    frameKilobytes: frames === 0 ? 0 : (end.characters - start.characters) / frames / 1000,
    benchCpuPercent,
    benchMicrosecondsPerMessage: (cpuSeconds * 1e6) / Math.max(1, window.received),
    hostMicrosecondsPerMessage: (hostCpuSeconds * 1e6) / Math.max(1, window.received),
    eventLoopBusyPercent: performance.eventLoopUtilization(end.eventLoop, start.eventLoop).utilization * 100,
    brokerCpuPercent,
    publisherCpuPercent,
    interruptCpuPercent: ((end.machineCpu.interrupts - start.machineCpu.interrupts) / wallSeconds) * 100,
    otherCpuPercent: Math.max(0, processesPercent - benchCpuPercent - (Number.isNaN(brokerCpuPercent) ? 0 : brokerCpuPercent) - publisherCpuPercent),
    startedQuiet,
  };
}

function publisherOptions(mode: PublisherArguments['mode'], url: string, rate: number, options: IngestOptions): PublisherArguments {
  return { mode, url, rate, warmupSeconds: options.warmupSeconds, seconds: options.seconds, machines: options.machines, signalsPerMachine: options.signalsPerMachine };
}

/** Every rate through one broker and one host. */
async function measureThroughBroker(plant: Plant, options: IngestOptions): Promise<{ label: string; rows: IngestRow[] }> {
  const broker = await startBroker(options.broker);
  const rows: IngestRow[] = [];
  let rig: IngestRig | undefined;
  try {
    rig = await openRig(plant, broker.url);
    await waitForSubscription(rig.source, broker.url);
    for (const rate of options.rates) {
      const quiet = await waitForQuietMachine([broker.pid], options.maxQuietWaitSeconds * 1000);
      const publisher = launchPublisher(publisherOptions('connect', broker.url, rate, options));
      rows.push(await measureRate(rate, options, rig, publisher, broker.pid, quiet));
    }
  } finally {
    await rig?.close();
    await broker.stop();
  }
  return { label: broker.label, rows };
}

/** Each rate with the publisher acting as the broker for a fresh host: what the host manages with nothing in between. */
async function measureWithoutBroker(plant: Plant, options: IngestOptions): Promise<IngestRow[]> {
  const rows: IngestRow[] = [];
  for (const rate of options.directRates) {
    const quiet = await waitForQuietMachine([], options.maxQuietWaitSeconds * 1000);
    const publisher = launchPublisher(publisherOptions('serve', '-', rate, options));
    let rig: IngestRig | undefined;
    try {
      rig = await openRig(plant, `mqtt://127.0.0.1:${await publisher.listening}`);
      rows.push(await measureRate(rate, options, rig, publisher, undefined, quiet));
    } finally {
      await stopChild(publisher.child);
      await rig?.close();
    }
  }
  return rows;
}

/**
 * Feeds `LiveSource.ingest` directly (its documented bench entry) with fresh topic strings and
 * payload buffers, as MQTT.js hands them over, and cuts a frame every 33 ms worth of 50k msg/s.
 */
export function measureIngestAlone(plant: Plant, layout: string, messages = 300_000): IngestAloneResult {
  const source = new LiveSource({ plant, defaultBrokerUrl: 'mqtt://127.0.0.1:9' });
  source.applyBrokerStatus(0, { brokerId: 'default', url: 'mqtt://127.0.0.1:9', state: 'connected', since: Date.now(), reconnectAttempts: 0, protocol: 4, subscriptions: 0, warnings: [] });
  source.subscribe('frame', () => undefined);
  const fields = new Map<string, string[]>();
  for (const machine of plant.machines) {
    for (const signal of machine.signals) if (signal.topic !== undefined) fields.set(signal.topic, [...(fields.get(signal.topic) ?? []), signal.path ?? 'value']);
  }
  const topics = [...fields.keys()];
  // Distinct string objects, as a parser makes them, so that Map lookups hash each one as in production.
  const topicTexts = Array.from({ length: messages }, (_, index) => Buffer.from(topics[index % topics.length]!).toString('utf8'));
  const payloads = topicTexts.map((topic, index) => Buffer.from(JSON.stringify(Object.fromEntries(fields.get(topic)!.map((field) => [field, 1.7e12 + index * 0.013])))));
  const messagesPerFrame = Math.round(50_000 * 0.033);
  const acceptedBefore = source.diagnostics().samplesAccepted;
  let flushTime = 0;
  let flushes = 0;
  const start = performance.now();
  for (let index = 0; index < messages; index++) {
    source.ingest(0, topicTexts[index]!, payloads[index]!);
    if (index % messagesPerFrame === messagesPerFrame - 1) {
      const before = performance.now();
      source.flush();
      flushTime += performance.now() - before;
      flushes++;
    }
  }
  const total = performance.now() - start;
  return {
    layout,
    messages,
    samplesPerMessage: (source.diagnostics().samplesAccepted - acceptedBefore) / messages,
    microsecondsPerMessage: ((total - flushTime) * 1000) / messages,
    flushMilliseconds: flushTime / Math.max(1, flushes),
  };
}

function measureIngestAloneLayouts(options: IngestOptions): IngestAloneResult[] {
  const layouts: Array<[string, Plant]> = [
    ['one signal per topic (as above)', syntheticPlant(options.machines, options.signalsPerMachine)],
    [`${options.signalsPerMachine} signals per topic (one JSON, a path each)`, sharedTopicPlant(options.machines, options.signalsPerMachine)],
  ];
  return layouts.map(([layout, plant]) => {
    // The first, shorter run warms the JIT up.
    measureIngestAlone(plant, layout, 50_000);
    return measureIngestAlone(plant, layout);
  });
}

/** Runs the ingest benchmark (through the broker, without it, LiveSource alone) and prints its tables. */
export async function runIngestThroughput(overrides: Partial<IngestOptions> = {}): Promise<IngestResult> {
  const options: IngestOptions = { ...defaults, ...overrides };
  const plant = syntheticPlant(options.machines, options.signalsPerMachine);
  const throughBroker = options.rates.length > 0 ? await measureThroughBroker(plant, options) : { label: 'none', rows: [] };
  const directRows = await measureWithoutBroker(plant, options);
  const alone = measureIngestAloneLayouts(options);
  if (throughBroker.rows.length > 0) printBrokerTables(throughBroker.label, options, throughBroker.rows);
  if (directRows.length > 0) printDirectTable(options, directRows);
  printAloneTable(alone);
  return { broker: throughBroker.label, rows: throughBroker.rows, directRows, alone };
}

const cpuNote = `CPU % is of one core (${availableParallelism()} cores here: ${availableParallelism() * 100} % is all of them). host+view is this process: MQTT.js, LiveSource, the WebSocket server and client, frame JSON, applyFrame. kernel softirq is interrupt time (mostly loopback TCP) charged to no process; other processes is the rest of the machine meanwhile, from /proc/stat — well above 0, the benchmark was competing for the cores.`;

const committedNote =
  'committed to disk: this run\'s samples read back from the recording files (every committed batch, as any reader sees them) 1.5 s after the host drained, past its next once-a-second commit; not on disk = published − committed, whether lost before the host or before the disk.';
const hostCostNote = `host µs/msg: this process's CPU time per message received, less the time spent in the view's message handler (HostClient parsing and applyFrame), measured on ${cpuLabel()}; the view's WebSocket framing stays counted as host.`;

function quietNote(options: IngestOptions, rows: IngestRow[]): string[] {
  const noisy = rows.filter((row) => !row.startedQuiet);
  if (noisy.length === 0) return [];
  return [`Started although other processes stayed busy for ${options.maxQuietWaitSeconds} s: ${noisy.map((row) => `${row.offeredRate.toLocaleString('en-US')} msg/s`).join(', ')}.`];
}

function printBrokerTables(brokerName: string, options: IngestOptions, rows: IngestRow[]): void {
  printTable(
    `Ingest throughput — ${options.machines.toLocaleString('en-US')} machines × ${options.signalsPerMachine} signals, ${brokerName}`,
    [
      { title: 'offered msg/s' },
      { title: 'published' },
      { title: 'received by host' },
      { title: 'accepted samples' },
      { title: 'handed to recorder' },
      { title: 'committed to disk' },
      { title: 'dropped' },
      { title: 'not on disk' },
      { title: 'published msg/s' },
      { title: 'achieved msg/s' },
      { title: 'not sent (broker behind)' },
    ],
    rows.map((row) => [row.offeredRate, row.published, row.received, row.accepted, row.recorded, row.committed, row.dropped, row.published - row.committed, Math.round(row.publishedRate), Math.round(row.achievedRate), row.unsent]),
    [
      'The host records as it does in the product: every accepted sample goes to a recording file, committed once a second.',
      committedNote,
      ...rows.filter((row) => row.recordingError).map((row) => `At ${row.offeredRate} msg/s recording failed: ${row.recordingError}`),
      `published, received, accepted and dropped cover warm-up (${options.warmupSeconds} s) and measured window (${options.seconds} s) together; dropped = published − received (diagnostics().messagesReceived).`,
      'published msg/s: what the publisher got onto its socket in the window; achieved msg/s: messages published in the window that reached LiveSource.ingest, per second.',
      'not sent: scheduled messages the publisher skipped because more than 1 MB was already waiting in its socket — the broker was not reading fast enough.',
      ...quietNote(options, rows),
    ],
  );
  printTable(
    'Ingest latency and CPU through the broker (measured window)',
    [
      { title: 'offered msg/s' },
      { title: 'publish→view p50 ms' },
      { title: 'p99 ms' },
      { title: 'max ms' },
      { title: 'publish→ingest p50 ms' },
      { title: 'p99 ms' },
      { title: 'frames/s' },
      { title: 'signals/frame' },
      { title: 'frame kB' },
      { title: 'host+view CPU %' },
      { title: 'host+view µs/msg' },
      { title: 'host µs/msg' },
      { title: 'measured on', align: 'left' },
      { title: 'event loop busy %' },
      { title: 'broker CPU %' },
      { title: 'publisher CPU %' },
      { title: 'kernel softirq %' },
      { title: 'other processes %' },
    ],
    rows.map((row) => [
      row.offeredRate,
      row.endToEnd.p50,
      row.endToEnd.p99,
      row.endToEnd.max,
      row.ingest.p50,
      row.ingest.p99,
      row.framesPerSecond,
      Math.round(row.signalsPerFrame),
      row.frameKilobytes,
      Math.round(row.benchCpuPercent),
      row.benchMicrosecondsPerMessage,
      row.hostMicrosecondsPerMessage,
      cpuLabel(),
      Math.round(row.eventLoopBusyPercent),
      Math.round(row.brokerCpuPercent),
      Math.round(row.publisherCpuPercent),
      Math.round(row.interruptCpuPercent),
      Math.round(row.otherCpuPercent),
    ]),
    [
      'publish→view: from the publish time (the payload value) to after applyFrame in the view, for each signal value in each frame. Frames carry the latest sample per signal every 33 ms, so this includes up to one frame of batching.',
      'publish→ingest: from the publish time to LiveSource.ingest (via its observer), for every message.',
      cpuNote,
      hostCostNote,
      ...unmeasuredNotes(rows),
      machineNote(),
    ],
  );
}

/** A note for each rate whose latencies cannot be trusted: a table of them would mislead. */
function unmeasuredNotes(rows: readonly IngestRow[]): string[] {
  return rows.flatMap((row) => (row.unmeasured === undefined ? [] : [`At ${row.offeredRate.toLocaleString('en-US')} msg/s the latencies above cannot be trusted: ${row.unmeasured}.`]));
}

function printDirectTable(options: IngestOptions, rows: IngestRow[]): void {
  printTable(
    'Host without a broker — the publisher process serves MQTT to the host itself (measured window)',
    [
      { title: 'offered msg/s' },
      { title: 'published msg/s' },
      { title: 'achieved msg/s' },
      { title: 'not sent (host behind)' },
      { title: 'dropped' },
      { title: 'committed to disk' },
      { title: 'not on disk' },
      { title: 'publish→view p50 ms' },
      { title: 'p99 ms' },
      { title: 'max ms' },
      { title: 'publish→ingest p50 ms' },
      { title: 'p99 ms' },
      { title: 'host+view CPU %' },
      { title: 'host+view µs/msg' },
      { title: 'host µs/msg' },
      { title: 'measured on', align: 'left' },
      { title: 'event loop busy %' },
      { title: 'publisher CPU %' },
      { title: 'other processes %' },
    ],
    rows.map((row) => [
      row.offeredRate,
      Math.round(row.publishedRate),
      Math.round(row.achievedRate),
      row.unsent,
      row.dropped,
      row.committed,
      row.published - row.committed,
      row.endToEnd.p50,
      row.endToEnd.p99,
      row.endToEnd.max,
      row.ingest.p50,
      row.ingest.p99,
      Math.round(row.benchCpuPercent),
      row.benchMicrosecondsPerMessage,
      row.hostMicrosecondsPerMessage,
      cpuLabel(),
      Math.round(row.eventLoopBusyPercent),
      Math.round(row.publisherCpuPercent),
      Math.round(row.otherCpuPercent),
    ]),
    [
      'The same host, view and publisher; the publisher answers CONNECT and SUBSCRIBE and writes its PUBLISH stream straight into the host\'s socket. This is the host\'s own ceiling on this machine.',
      'not sent: scheduled messages skipped because more than 1 MB was waiting in the socket to the host — the host was not reading fast enough.',
      committedNote,
      hostCostNote,
      ...unmeasuredNotes(rows),
      machineNote(),
      ...quietNote(options, rows),
    ],
  );
}

function printAloneTable(alone: IngestAloneResult[]): void {
  printTable(
    'LiveSource alone (no broker, no socket, no view)',
    [{ title: 'plant layout', align: 'left' }, { title: 'messages' }, { title: 'samples/msg' }, { title: 'ingest µs/msg' }, { title: 'µs/sample' }, { title: 'msg/s on one core' }, { title: 'flush ms/frame' }],
    alone.map((result) => [
      result.layout,
      result.messages,
      result.samplesPerMessage,
      result.microsecondsPerMessage,
      result.microsecondsPerMessage / result.samplesPerMessage,
      Math.round(1e6 / result.microsecondsPerMessage),
      result.flushMilliseconds,
    ]),
    [
      'LiveSource.ingest fed directly: size check, topic route, JSON decode, health rules — the ceiling the host code itself sets, before MQTT.js, the broker and the view.',
      'flush: one frame cut every 1,650 messages (33 ms at 50k msg/s).',
    ],
  );
}

function parseCommandLine(argv: string[]): Partial<IngestOptions> {
  const options: Partial<IngestOptions> = {};
  const list = (value: string) => (value === '' ? [] : value.split(',').map(Number));
  for (let index = 0; index < argv.length; index += 2) {
    const [name, value] = [argv[index], argv[index + 1] ?? ''];
    if (name === '--rates') options.rates = list(value);
    else if (name === '--direct-rates') options.directRates = list(value);
    else if (name === '--seconds') options.seconds = Number(value);
    else if (name === '--warmup') options.warmupSeconds = Number(value);
    else if (name === '--machines') options.machines = Number(value);
    else if (name === '--quiet-wait') options.maxQuietWaitSeconds = Number(value);
    else if (name === '--broker' && (value === 'auto' || value === 'mosquitto' || value === 'aedes')) options.broker = value;
    else throw new Error(`unknown option ${name}; see the comment at the top of ${import.meta.filename}`);
  }
  return options;
}

if (process.argv[1] === import.meta.filename) {
  await runIngestThroughput(parseCommandLine(process.argv.slice(2)));
  process.exit(0);
}
