/**
 * The host of the isolation benchmark, run as its own process (`fork`) as `twinline serve` runs it:
 * `startHost` on the plant file and broker, recording into a folder, and `startViewServer` giving each
 * view its own player. It answers the benchmark's questions about itself over IPC.
 *
 * argv: plant file, broker URL, recordings folder, renderer folder (may be empty: no page is loaded).
 */
import { monitorEventLoopDelay, performance, PerformanceObserver, type EventLoopUtilization } from 'node:perf_hooks';
import { startHost } from '../src-main/node/twinline-host.ts';
import { startViewServer } from '../src-main/node/view-server.ts';
import { processLiveFirstGate } from '../src-main/node/replay/live-first-gate.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import { sharedClockNow } from './shared-clock.ts';

/** The host's own figures at one moment. */
export interface HostFigures {
  /** process.cpuUsage(), user + system, in µs. */
  cpuMicros: number;
  eventLoop: EventLoopUtilization;
  rssBytes: number;
  messagesReceived: number;
  samplesAccepted: number;
  recordedSamples: number;
  recordingError: string | undefined;
  views: number;
  bufferedBytes: number;
  /** Times replay workers were told to give way to live since the host started. */
  replayHolds: number;
  /** Time the host's garbage collections took since it started (ms). */
  gcPauseMs: number;
  /** The longest single garbage collection since the figures were last asked for (ms). */
  longestGcPauseMs: number;
  /** The longest the host's event loop was late since the figures were last asked for (ms, sampled every 5 ms). */
  longestLoopDelayMs: number;
  /** Publish→host since the figures were last asked for: from each sample's publish time to the host's handling of it (ms). */
  arrival: { count: number; p50: number; p99: number; max: number };
}

/** What the host process tells the benchmark. */
export type HostProcessReport =
  | { type: 'listening'; port: number }
  | { type: 'figures'; figures: HostFigures }
  | { type: 'log'; line: string }
  | { type: 'failed'; message: string };

/** What the benchmark asks of the host process. */
export type HostProcessCommand = { type: 'figures' } | { type: 'stop' };

/** The argument list for `fork`. */
export function hostProcessArgv(plantFile: string, brokerUrl: string, recordingsDirectory: string, rendererDirectory: string): string[] {
  return [plantFile, brokerUrl, recordingsDirectory, rendererDirectory];
}

function send(report: HostProcessReport): void {
  process.send?.(report);
}

async function main(): Promise<void> {
  const [plantFile, brokerUrl, directory, rendererDirectory] = process.argv.slice(2);
  if (!plantFile || !brokerUrl || !directory || !rendererDirectory) throw new Error('usage: host-process.ts PLANT BROKER_URL RECORDINGS RENDERER');
  // What the host logs (views cut off, failed requests, recording problems) is part of the benchmark's report.
  const log = (line: string) => send({ type: 'log', line });
  const host = await startHost({ plantFile, brokerUrls: { '': brokerUrl }, simulate: false, stageOutages: false, recording: { directory }, log });
  const server = await startViewServer({ createViewSource: host.createViewSource, rendererDirectory, modelsDirectory: host.modelsDirectory, log });
  // What keeps live waiting inside the host itself: its collections, and any turn of its loop that ran long.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  let gcPauseMs = 0;
  let longestGcPauseMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauseMs += entry.duration;
      longestGcPauseMs = Math.max(longestGcPauseMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  // Where the host's loop hands each accepted sample to its observers; the sample's value is its publish
  // time, so this splits publish→view into the broker's and the socket's part (and the wait for the
  // host's loop to take it) and the host's own (frame cadence, sending, the view). Only this benchmark's
  // process wraps the forecasts' feed, the one observer every host has.
  let arrival = new LatencyHistogram();
  const forecastSample = host.forecasts.onSample.bind(host.forecasts);
  host.forecasts.onSample = (signalIndex, value, time) => {
    arrival.record(sharedClockNow() - value);
    forecastSample(signalIndex, value, time);
  };
  const figures = (): HostFigures => {
    const cpu = process.cpuUsage();
    const longestLoopDelayMs = loopDelay.max / 1e6;
    loopDelay.reset();
    const longestGc = longestGcPauseMs;
    longestGcPauseMs = 0;
    const arrived = arrival;
    arrival = new LatencyHistogram();
    const diagnostics = host.source.diagnostics();
    const recording = host.recorder?.status();
    return {
      cpuMicros: cpu.user + cpu.system,
      eventLoop: performance.eventLoopUtilization(),
      rssBytes: process.memoryUsage.rss(),
      messagesReceived: diagnostics.messagesReceived,
      samplesAccepted: diagnostics.samplesAccepted,
      recordedSamples: recording?.samplesTotal ?? 0,
      recordingError: recording?.error,
      views: server.views(),
      bufferedBytes: server.bufferedBytes(),
      replayHolds: processLiveFirstGate().holds,
      gcPauseMs,
      longestGcPauseMs: longestGc,
      longestLoopDelayMs,
      arrival: { count: arrived.count, p50: arrived.quantile(0.5), p99: arrived.quantile(0.99), max: arrived.max },
    };
  };
  process.on('message', (command: HostProcessCommand) => {
    if (command.type === 'figures') send({ type: 'figures', figures: figures() });
    else if (command.type === 'stop') {
      void server
        .close()
        .then(() => host.stop())
        .then(() => process.exit(0));
    }
  });
  send({ type: 'listening', port: server.port });
}

if (process.argv[1] === import.meta.filename) {
  // A host that dies is a result: the benchmark reports it with the reason.
  process.on('uncaughtException', (error) => {
    send({ type: 'failed', message: error.stack ?? String(error) });
    process.exit(70);
  });
  main().catch((error: unknown) => {
    send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  });
}
