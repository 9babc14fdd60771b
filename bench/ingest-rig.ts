import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import type { MessageEndpoint } from '../src-main/common/contract.ts';
import { HostClient } from '../src-main/common/host-client.ts';
import type { Plant } from '../src-main/common/plant-schema.ts';
import { plantBrokers } from '../src-main/common/resolve-brokers.ts';
import { LiveSource } from '../src-main/node/live-source.ts';
import { RecordingManager } from '../src-main/node/recording/recording-manager.ts';
import { startViewServer, websocketEndpoint, websocketPath } from '../src-main/node/view-server.ts';
import { applyFrame, createFrameBuffer, isFrameBatch } from '../src-renderer/telemetry/frame-buffer.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import { sharedClockNow } from './shared-clock.ts';

/** The measured window, by publish time on the shared clock: only values published inside it are counted. */
export interface LatencyWindow {
  start: number;
  end: number;
  /** Publish → after applyFrame in the view, for each signal value in each frame. */
  endToEnd: LatencyHistogram;
  /** Publish → LiveSource.ingest, for every message. */
  ingest: LatencyHistogram;
  /** Messages published inside the window that reached `LiveSource.ingest`. */
  received: number;
}

/** A window that matches nothing, for between runs. */
export function emptyWindow(): LatencyWindow {
  return { start: Number.POSITIVE_INFINITY, end: Number.NEGATIVE_INFINITY, endToEnd: new LatencyHistogram(), ingest: new LatencyHistogram(), received: 0 };
}

/** What crossed the WebSocket to the view. */
export interface ViewStats {
  frames: number;
  signals: number;
  characters: number;
  /** Wall time spent handling the view's messages (HostClient parsing, applyFrame): the view's share of this process. */
  viewMilliseconds: number;
}

/** The host and one view, wired as in browser mode and recording as the host does; latencies go into `window`. */
export interface IngestRig {
  source: LiveSource;
  /** The host's recorder, writing every sample to a file in a temporary folder. */
  recording: RecordingManager;
  /** The folder it records into, to read back what reached the disk. */
  recordingsDirectory: string;
  stats: ViewStats;
  window: LatencyWindow;
  close(): Promise<void>;
}

/**
 * Starts a `LiveSource` on the broker, records everything it accepts with a `RecordingManager` (one
 * commit a second, as the host), serves it with `startViewServer`, and connects one view over the
 * real WebSocket: `HostClient` → `isFrameBatch` + `applyFrame` into a frame buffer, as the renderer
 * does. Latency is measured where each value is seen.
 */
export async function openRig(plant: Plant, brokerUrl: string): Promise<IngestRig> {
  const temporary = mkdtempSync(join(tmpdir(), 'twinline-bench-'));
  const stats: ViewStats = { frames: 0, signals: 0, characters: 0, viewMilliseconds: 0 };
  const recordingsDirectory = join(temporary, 'recordings');
  const recording = new RecordingManager(
    {
      plant,
      // Parsed plants are valid plant files; JSON is YAML.
      plantText: JSON.stringify(plant),
      plantFileName: 'bench-plant.yaml',
      models: new Map(),
      signalKeys: plant.machines.flatMap((machine) => machine.signals.map((signal) => `${machine.id}/${signal.id}`)),
      brokerIds: plantBrokers(plant).map((broker) => broker.id),
    },
    { directory: recordingsDirectory },
  );
  recording.start();
  const source = new LiveSource({
    plant,
    defaultBrokerUrl: brokerUrl,
    sourceLabel: 'bench',
    // The observer sees every accepted sample (it is the recorder's feed), so ingest latency covers
    // every message, not only the latest per frame.
    observer: {
      onSample(signalIndex, value, time) {
        recording.onSample(signalIndex, value, time);
        const window = rig.window;
        if (value >= window.start && value < window.end) {
          window.received++;
          window.ingest.record(sharedClockNow() - value);
        }
      },
      onConnection: (broker, connected, time) => recording.onConnection(broker, connected, time),
      onMachineHealth: (machine, health, time) => recording.onMachineHealth(machine, health, time),
    },
  });
  const rig: IngestRig = { source, recording, recordingsDirectory, stats, window: emptyWindow(), close: async () => undefined };
  source.start();
  const server = await startViewServer({ source, rendererDirectory: temporary, modelsDirectory: temporary });
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}${websocketPath}`);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const transport = websocketEndpoint(socket);
  // Counts what crosses the wire, as text, before HostClient parses it.
  const endpoint: MessageEndpoint = {
    ...transport,
    onMessage: (listener) =>
      transport.onMessage((message) => {
        if (typeof message === 'string') stats.characters += message.length;
        const started = performance.now();
        listener(message);
        stats.viewMilliseconds += performance.now() - started;
      }),
  };
  const client = new HostClient(endpoint);
  const description = await client.request('getPlant', {});
  const buffer = createFrameBuffer(description.signalKeys.length, description.plant.machines.length);
  client.subscribe('frame', (frame) => {
    if (!isFrameBatch(frame)) return;
    applyFrame(buffer, frame, performance.now());
    const now = sharedClockNow();
    const window = rig.window;
    const values = frame.signalValue;
    stats.frames++;
    stats.signals += values.length;
    for (let position = 0; position < values.length; position++) {
      const published = values[position]!;
      if (published >= window.start && published < window.end) window.endToEnd.record(now - published);
    }
  });
  applyFrame(buffer, await client.request('getSnapshot', {}), performance.now());
  rig.close = async () => {
    client.close();
    await source.stop();
    recording.stop();
    await server.close();
    rmSync(temporary, { recursive: true, force: true });
  };
  return rig;
}
