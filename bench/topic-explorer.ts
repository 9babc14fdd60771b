/**
 * Topic explorer: does opening it slow live ingest? The real host runs in its own process
 * (`host-process.ts`, as `twinline serve` runs it) on a plant of 10,000 topics, fed through a broker
 * process by a publisher process at 20,000 msg/s. A live view in this process measures publish→view
 * latency while a second view has the explorer closed, then open (subscribed with `#`, asking for
 * the tree and a selected topic once a second, as the panel does), alternating, so both states share
 * the machine's moods. Prints the p99 of each and their ratio (target ≤ 1.2×), with messages sent,
 * received and dropped, and what the explorer itself saw and dropped.
 *
 * `npm run bench -- topics` or `node bench/topic-explorer.ts [--rate 20000] [--seconds 10] [--rounds 2]`;
 * TWINLINE_BENCH_TOPICS=quick for a shorter run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import type { TopicTreeView } from '../src-main/common/topic-explorer.ts';
import { applyFrame, createFrameBuffer, isFrameBatch } from '../src-renderer/telemetry/frame-buffer.ts';
import { forkTracked, startBroker, stopChild, type RunningBroker } from './brokers.ts';
import { hostProcessArgv, type HostProcessCommand, type HostProcessReport } from './host-process.ts';
import { sharedClockNow } from './shared-clock.ts';
import { syntheticPlant } from './ingest-throughput.ts';
import { LatencyHistogram, unmeasuredReason } from './latency-histogram.ts';
import { launchPublisher, sleep, waitForDrain, waitUntil } from './launch-publisher.ts';
import { cpuLabel } from './machine-load.ts';
import { printTable } from './print-table.ts';
import { benchTopic } from './publisher-process.ts';
import { connectView, type ConnectedView } from './view-connection.ts';

/** What a run does. */
export interface TopicExplorerBenchOptions {
  machines: number;
  signalsPerMachine: number;
  rate: number;
  warmupSeconds: number;
  seconds: number;
  /** How many closed-then-open pairs of phases. */
  rounds: number;
}

/** The full run, or the quick one of TWINLINE_BENCH_TOPICS=quick. */
export function topicExplorerDefaults(size = process.env.TWINLINE_BENCH_TOPICS): TopicExplorerBenchOptions {
  const full = { machines: 2000, signalsPerMachine: 5, rate: 20_000, warmupSeconds: 3, seconds: 10, rounds: 2 };
  return size === 'quick' ? { ...full, seconds: 5, rounds: 1 } : full;
}

const quietNode = ['--disable-warning=ExperimentalWarning'];

/** One state's pooled figures. */
interface StateFigures {
  latency: LatencyHistogram;
  published: number;
  received: number;
  unsent: number;
}

/** What the run measured. */
export interface TopicExplorerBenchResult {
  closed: { p50: number; p99: number; max: number; published: number; received: number; unsent: number };
  open: { p50: number; p99: number; max: number; published: number; received: number; unsent: number };
  ratio: number;
  /** Why a state's latencies could not be compared (none, or some below zero); empty when they could. */
  unmeasured: string[];
  explorer: TopicTreeView['totals'] | undefined;
}

/** Runs the benchmark and prints its table. */
export async function runTopicExplorerBenchmark(overrides: Partial<TopicExplorerBenchOptions> = {}): Promise<TopicExplorerBenchResult> {
  const options = { ...topicExplorerDefaults(), ...overrides };
  const temporary = mkdtempSync(join(tmpdir(), 'twinline-bench-topics-'));
  const recordings = join(temporary, 'recordings');
  const renderer = join(temporary, 'renderer');
  mkdirSync(recordings);
  mkdirSync(renderer);
  const plantFile = join(temporary, 'bench-plant.yaml');
  // A parsed plant is a valid plant file (JSON is YAML): every topic the publisher uses is bound.
  writeFileSync(plantFile, JSON.stringify(syntheticPlant(options.machines, options.signalsPerMachine)));
  const broker = await startBroker('auto');
  const host = forkTracked(join(import.meta.dirname, 'host-process.ts'), hostProcessArgv(plantFile, broker.url, recordings, renderer), quietNode);
  let live: ConnectedView | undefined;
  let explorerView: ConnectedView | undefined;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the host did not listen within 30 s')), 30_000);
      host.on('message', (report: HostProcessReport) => {
        if (report.type === 'listening') {
          clearTimeout(timer);
          resolve(report.port);
        } else if (report.type === 'failed') reject(new Error(`the host failed: ${report.message}`));
        else if (report.type === 'log' && !report.line.startsWith('recording to')) console.error(`host: ${report.line}`);
      });
    });
    live = await connectView(port);
    const liveView = live;
    const description = await liveView.client.request('getPlant', {});
    const buffer = createFrameBuffer(description.signalKeys.length, description.plant.machines.length);
    let window = { start: Number.POSITIVE_INFINITY, end: Number.NEGATIVE_INFINITY, latency: new LatencyHistogram() };
    liveView.client.subscribe('frame', (frame) => {
      if (!isFrameBatch(frame)) return;
      applyFrame(buffer, frame, performance.now());
      const now = sharedClockNow();
      // The publisher's values are their publish times.
      for (const published of frame.signalValue) if (published >= window.start && published < window.end) window.latency.record(now - published);
    });
    const received = async () => (await liveView.client.request('getStatus', {})).diagnostics.messagesReceived;
    const probe = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    await waitUntil(
      async () => {
        await probe.publishAsync(benchTopic(0, 0), '{"value":0}');
        return (await received()) > 0;
      },
      20_000,
      'the host to receive a probe message',
    );
    await probe.endAsync(true);
    explorerView = await connectView(port);
    const explorer = explorerView;
    let lastTree: TopicTreeView | undefined;

    const figures = { closed: emptyFigures(), open: emptyFigures() };
    for (let round = 0; round < options.rounds; round++) {
      for (const state of ['closed', 'open'] as const) {
        let polling: ReturnType<typeof setInterval> | undefined;
        if (state === 'open') {
          await explorer.client.request('openTopicExplorer', { filter: '#' });
          // As the panel does: the root, one machine's level and one selected topic, once a second.
          const ask = () =>
            explorer.client
              .request('getTopicTree', { expanded: [{ broker: 'default', prefix: null }, { broker: 'default', prefix: 'bench' }, { broker: 'default', prefix: 'bench/m0001' }], selected: { broker: 'default', topic: benchTopic(1, 0) } })
              .then((tree) => (lastTree = tree), (error: unknown) => console.error(`the explorer did not answer: ${error instanceof Error ? error.message : String(error)}`));
          polling = setInterval(() => void ask(), 1000);
        }
        const before = await received();
        const publisher = launchPublisher({ mode: 'connect', url: broker.url, rate: options.rate, warmupSeconds: options.warmupSeconds, seconds: options.seconds, machines: options.machines, signalsPerMachine: options.signalsPerMachine });
        try {
          const start = (await publisher.publishing) + options.warmupSeconds * 1000;
          window = { start, end: start + options.seconds * 1000, latency: figures[state].latency };
          const report = await publisher.done;
          await waitForDrain(received);
          figures[state].published += report.warmupPublished + report.measuredPublished;
          figures[state].unsent += report.unsent;
          figures[state].received += (await received()) - before;
        } finally {
          window = { start: Number.POSITIVE_INFINITY, end: Number.NEGATIVE_INFINITY, latency: new LatencyHistogram() };
          clearInterval(polling);
          await stopChild(publisher.child);
        }
        if (state === 'open') await explorer.client.request('closeTopicExplorer', {});
        // The explorer's worker ends on close; a moment lets its clients leave the broker before the next phase.
        await sleep(1000);
      }
    }
    const summary = (state: StateFigures) => ({ p50: state.latency.quantile(0.5), p99: state.latency.quantile(0.99), max: state.latency.max, published: state.published, received: state.received, unsent: state.unsent });
    // A state without trustworthy latencies leaves no ratio rather than a wrong one.
    const unmeasured = [['closed', figures.closed] as const, ['open', figures.open] as const].flatMap(([label, state]) => {
      const reason = unmeasuredReason(state.latency);
      return reason === undefined ? [] : [`${label}: ${reason}`];
    });
    const ratio = unmeasured.length === 0 ? figures.open.latency.quantile(0.99) / figures.closed.latency.quantile(0.99) : Number.NaN;
    const result: TopicExplorerBenchResult = { closed: summary(figures.closed), open: summary(figures.open), ratio, unmeasured, explorer: lastTree?.totals };
    printResult(result, options, broker);
    return result;
  } finally {
    live?.close();
    explorerView?.close();
    if (host.exitCode === null) {
      const exited = new Promise((resolve) => host.once('exit', resolve));
      host.send({ type: 'stop' } satisfies HostProcessCommand);
      await Promise.race([exited, sleep(5000)]);
    }
    await stopChild(host);
    await broker.stop();
    rmSync(temporary, { recursive: true, force: true });
  }
}

function emptyFigures(): StateFigures {
  return { latency: new LatencyHistogram(), published: 0, received: 0, unsent: 0 };
}

function printResult(result: TopicExplorerBenchResult, options: TopicExplorerBenchOptions, broker: RunningBroker): void {
  const milliseconds = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');
  const row = (label: string, state: TopicExplorerBenchResult['closed']) => [label, milliseconds(state.p50), milliseconds(state.p99), milliseconds(state.max), state.published, state.received, state.published - state.received, state.unsent];
  printTable(
    `Topic explorer: publish→view latency with the explorer closed and open (${(options.machines * options.signalsPerMachine).toLocaleString('en-US')} topics at ${options.rate.toLocaleString('en-US')} msg/s)`,
    [{ title: 'explorer' }, { title: 'p50 ms' }, { title: 'p99 ms' }, { title: 'max ms' }, { title: 'sent' }, { title: 'received' }, { title: 'dropped' }, { title: 'unsent' }],
    [row('closed', result.closed), row('open (#, tree asked every second)', result.open)],
    [
      result.unmeasured.length === 0 ? `p99 open / closed: ${result.ratio.toFixed(2)}× (target ≤ 1.2×).` : `No ratio: ${result.unmeasured.join('; ')} (target ≤ 1.2×: NOT measured).`,
      `The explorer saw ${result.explorer ? `${result.explorer.topics.toLocaleString('en-US')} topics and ${result.explorer.messages.toLocaleString('en-US')} messages, dropped ${result.explorer.droppedMessages} messages and ${result.explorer.droppedPayloads} payloads, keeping ${(result.explorer.payloadBytesKept / 1024).toFixed(0)} KiB of payloads` : 'nothing (it never answered)'}.`,
      `${options.rounds} rounds of closed then open, ${options.warmupSeconds} s warm-up and ${options.seconds} s measured each; broker ${broker.label}; CPU ${cpuLabel()}.`,
    ],
  );
}

if (process.argv[1] === import.meta.filename) {
  const overrides: Partial<TopicExplorerBenchOptions> = {};
  const argv = process.argv.slice(2);
  for (let index = 0; index < argv.length; index += 2) {
    const [name, value] = [argv[index], Number(argv[index + 1])];
    if (name === '--rate') overrides.rate = value;
    else if (name === '--seconds') overrides.seconds = value;
    else if (name === '--rounds') overrides.rounds = value;
    else throw new Error(`unknown option ${name}`);
  }
  await runTopicExplorerBenchmark(overrides);
  process.exit(0);
}
