import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { TwinlineSource } from '../../common/contract.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../embedded-broker.ts';
import { LiveSource } from '../live-source.ts';
import { listRecordings } from '../recording/recording-manager.ts';
import { ViewPlayer } from '../replay/view-player.ts';
import { startHost, type RunningHost } from '../twinline-host.ts';
import { connectCapturingView, type CapturingView } from './capturing-view.ts';
import { testPlant, testPlantText, type TestPlant } from './test-plants.ts';

/** What an integration test of the recording path starts with: a real host recording a test plant, fed through a real broker. */
export interface RecordingHostRig {
  /** A fresh folder holding the plant file and the recordings. */
  readonly folder: string;
  readonly plantFile: string;
  readonly recordings: string;
  readonly broker: EmbeddedBroker;
  /** Connected to the broker, to publish the test's samples. */
  readonly publisher: MqttClient;
  /** What every view (and the test's own callbacks) reported; a passing test expects none. */
  readonly problems: string[];
  /** The running host; undefined once `stopHost` has stopped it. */
  host(): RunningHost;
  /** A view over the contract to this source (by default the live host), closed with the rig. */
  connectView(source?: TwinlineSource): CapturingView;
  /** Stops the host, so that every file it wrote is closed and whole. */
  stopHost(): Promise<void>;
  /** The recording files of the session, oldest first. */
  recordingFiles(): string[];
  /** A player over the newest recording, as `twinline open` replays it (no broker behind it). */
  replayNewest(): ViewPlayer;
  /** Ends everything the rig started and removes its folder. */
  close(): Promise<void>;
}

/** Starts a broker, a host recording `plant` into a fresh folder (files rolled over every `maxFileMs` when given) and a publisher. */
export async function startRecordingHostRig(options: { name: string; plant: TestPlant; maxFileMs?: number; prepare?: (folder: string) => void }): Promise<RecordingHostRig> {
  const folder = mkdtempSync(join(tmpdir(), `twinline-${options.name}-`));
  const plantFile = join(folder, 'plant.yaml');
  const recordings = join(folder, 'recordings');
  const views: CapturingView[] = [];
  const problems: string[] = [];
  let broker: EmbeddedBroker | undefined;
  let host: RunningHost | undefined;
  let publisher: MqttClient | undefined;
  const close = async () => {
    for (const view of views) view.close();
    await publisher?.endAsync();
    await host?.stop();
    await broker?.close();
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    writeFileSync(plantFile, testPlantText(options.plant));
    options.prepare?.(folder);
    broker = await startEmbeddedBroker();
    const recording = options.maxFileMs === undefined ? { directory: recordings } : { directory: recordings, maxFileMs: options.maxFileMs };
    host = await startHost({ plantFile, brokerUrls: { line: broker.url }, embedBrokers: false, simulate: false, recording });
    publisher = await mqtt.connectAsync(broker.url);
  } catch (error) {
    await close();
    throw error;
  }
  const runningBroker = broker;
  const runningPublisher = publisher;
  const connectView = (source?: TwinlineSource) => {
    const view = connectCapturingView(source ?? rig.host().createViewSource(), (problem) => problems.push(problem));
    views.push(view);
    return view;
  };
  const recordingFiles = () => listRecordings(recordings).map((entry) => entry.file);
  const rig: RecordingHostRig = {
    folder,
    plantFile,
    recordings,
    broker: runningBroker,
    publisher: runningPublisher,
    problems,
    host() {
      if (!host) throw new Error('the host was stopped');
      return host;
    },
    connectView,
    async stopHost() {
      await host?.stop();
      host = undefined;
    },
    recordingFiles,
    replayNewest() {
      const description = new LiveSource({ plant: testPlant(options.plant), defaultBrokerUrl: 'mqtt://127.0.0.1:9' }).describePlant();
      return new ViewPlayer({ description, recordingFile: () => recordingFiles().at(-1), recordingsDirectory: recordings, plantText: testPlantText(options.plant) });
    },
    close,
  };
  return rig;
}
