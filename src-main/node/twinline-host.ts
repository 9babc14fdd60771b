import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TwinlineSource } from '../common/contract.ts';
import { redactPlant, redactPlantText } from '../common/redact-secrets.ts';
import { plantBrokers, resolveBrokers } from '../common/resolve-brokers.ts';
import { signalOrder } from '../common/signal-order.ts';
import { BackgroundRecorder } from './recording/background-recorder.ts';
import { AnnotationService } from './annotations/annotation-service.ts';
import { withAnnotations } from './annotations/with-annotations.ts';
import type { RecordingOptions } from './recording/recording-manager.ts';
import { defaultReplayBytesPerSecond, ReplayTrafficBudget } from './replay/replay-traffic-budget.ts';
import { ViewPlayer } from './replay/view-player.ts';
import { AlarmService } from './alarm-service.ts';
import { readStandingAlarms, restoreStandingAlarms } from './alarm-restore/restore-standing-alarms.ts';
import { ForecastService } from './forecast/forecast-service.ts';
import { observeBoth } from './forecast/observe-both.ts';
import { BrokerOutages } from './broker-outages.ts';
import { connectionChangeLogger } from './connection-change-log.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.ts';
import { LiveSource } from './live-source.ts';
import { modelFileClosure } from './model-file-closure.ts';
import { demoPlantFile, loadPlantFile } from './load-plant-file.ts';
import { PlantSimulator } from './plant-simulator.ts';
import { signalSources } from './topic-explorer/topic-bindings.ts';
import { TopicExplorerService } from './topic-explorer/topic-explorer-service.ts';
import { withTopicExplorer } from './topic-explorer/with-topic-explorer.ts';

/** What to watch: a real plant (`plantFile` + broker URLs) or, with neither, the demo. */
export interface HostOptions {
  plantFile?: string;
  /** Bytes per second of replayed frames and export chunks that the views share beside live (default `defaultReplayBytesPerSecond`). */
  replayBytesPerSecond?: number;
  /** Broker URLs by broker id; the key "" is the plant's first broker (a bare `--broker URL`). */
  brokerUrls?: Readonly<Record<string, string>>;
  /** Broker passwords kept outside the plant file (the desktop app's keychain), by broker id; they replace the file's. */
  brokerPasswords?: Readonly<Record<string, string>>;
  /** Where the plant file's `${NAME}` references are filled in from; default the process's environment. */
  environment?: Readonly<Record<string, string | undefined>>;
  /** Start an embedded broker for each broker without a URL (the demo; default); false makes that an error (`record`). */
  embedBrokers?: boolean;
  /** Run the simulator; default on when the host started its own brokers. */
  simulate?: boolean;
  /** Take the demo's secondary brokers down now and then, so offline shows too; default on with embedded brokers. */
  stageOutages?: boolean;
  frameIntervalMs?: number;
  /** Where to record everything received; null records nothing. */
  recording?: RecordingOptions | null;
  log?: (line: string) => void;
}

/** A running host: the live source plus what it started for the demo. */
export interface RunningHost {
  source: LiveSource;
  recorder: BackgroundRecorder | undefined;
  /** The live alarms: evaluated from live frames, acted on by operators, recorded with everything else. */
  alarms: AlarmService;
  /** The live look ahead: each limited signal's trend, evaluated once a second. */
  forecasts: ForecastService;
  /** A source for one more view: its own player over live and the recording. */
  createViewSource(): TwinlineSource;
  modelsDirectory: string;
  plantFile: string;
  stop(): Promise<void>;
}

/** Parses `--broker` values: `URL` for the plant's first broker, or `ID=URL` for a named one. */
export function parseBrokerArguments(values: readonly string[]): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const value of values) {
    const named = /^([A-Za-z0-9][A-Za-z0-9_.-]*)=([a-z]+:\/\/.+)$/.exec(value);
    if (named) urls[named[1]!] = named[2]!;
    else if (/^[a-z]+:\/\//.test(value)) urls[''] = value;
    // The refused value is not repeated: it may carry a password the user mistyped around.
    else throw new Error(`--broker takes URL or ID=URL (e.g. mqtt://10.0.0.5:1883); "${value.includes('@') ? '…' : value}" is neither`);
  }
  return urls;
}

/**
 * Starts the services behind every view. Brokers without a URL get an embedded broker on
 * loopback, and then a simulator feeds them, so the demo runs with no setup.
 */
export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  const log = options.log ?? (() => undefined);
  const loaded = loadPlantFile(options.plantFile ?? demoPlantFile, {
    secrets: { environment: options.environment ?? process.env, passwords: options.brokerPasswords },
    brokerUrls: options.brokerUrls,
  });
  for (const warning of loaded.warnings) log(warning);
  const urls: Record<string, string> = { ...options.brokerUrls };
  const unreachable = resolveBrokers(loaded.plant, urls).missing;
  if (options.embedBrokers === false && unreachable.length > 0) {
    throw new Error(`No URL for broker${unreachable.length === 1 ? '' : 's'} ${unreachable.map((id) => `"${id}"`).join(', ')}: give it a url in the plant file, or --broker ID=URL (--broker URL for the first broker)`);
  }
  const embedded: Array<{ id: string; broker: EmbeddedBroker }> = [];
  const stopAll = async () => Promise.all(embedded.map(({ broker }) => broker.close()));
  try {
    for (const missing of resolveBrokers(loaded.plant, urls).missing) {
      const broker = await startEmbeddedBroker();
      embedded.push({ id: missing, broker });
      urls[missing] = broker.url;
      log(`embedded MQTT broker "${missing}" on ${broker.url}`);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const { brokers } = resolveBrokers(loaded.plant, urls);
  const plantText = redactPlantText(readFileSync(loaded.file, 'utf8'));
  // Listed before this run's recorder makes its file: the alarms an operator left stand again after a restart.
  const standingAlarms = options.recording ? readStandingAlarms({ directory: options.recording.directory, plant: loaded.plant, log }) : undefined;
  const recorder = options.recording ? startRecording(loaded, plantText, options.recording, log) : undefined;
  const forecasts = new ForecastService({ plant: loaded.plant, log });
  const source = new LiveSource({ plant: loaded.plant, brokerUrls: urls, plantDirectory: dirname(loaded.file), sourceLabel: loaded.plant.name, frameIntervalMs: options.frameIntervalMs, observer: observeBoth(recorder, forecasts), log });
  source.subscribe('connection', connectionChangeLogger(log));
  const alarms = new AlarmService({ plant: loaded.plant, frames: source, recorder, log, awaitRestore: standingAlarms !== undefined });
  const annotations = new AnnotationService({ machineCount: loaded.plant.machines.length, recorder, log });
  source.start();
  // Ingest and recording run meanwhile; views come once the alarms stand as they were.
  if (standingAlarms) restoreStandingAlarms(alarms, await standingAlarms, Date.now(), log);
  let simulator: PlantSimulator | undefined;
  if (options.simulate ?? embedded.length > 0) {
    simulator = new PlantSimulator(loaded.plant);
    await simulator.start(brokers);
    log(`simulating ${loaded.plant.machines.length} machines`);
  }
  const outageTargets = embedded.filter(({ id }) => id !== plantBrokers(loaded.plant)[0]!.id);
  const outages = (options.stageOutages ?? embedded.length > 0) && outageTargets.length > 0 ? new BrokerOutages(outageTargets, log) : undefined;
  outages?.start();
  // Its own clients, with the brokers' own settings (TLS, credentials), in a worker: only while a view has it open.
  const explorer = new TopicExplorerService({ brokers: resolveBrokers(loaded.plant, urls, dirname(loaded.file)).brokers, sources: signalSources(loaded.plant), limits: {} }, log);
  // Every view's replay output passes through this loop: together they get a rate, so that live keeps its share.
  const replayTraffic = new ReplayTrafficBudget(options.replayBytesPerSecond ?? defaultReplayBytesPerSecond);
  return {
    source,
    recorder,
    alarms,
    forecasts,
    createViewSource: () =>
      withAnnotations(withTopicExplorer(new ViewPlayer({
        description: source.describePlant(),
        live: source,
        liveAlarms: alarms,
        liveForecasts: forecasts,
        recordingFile: () => recorder?.currentFile(),
        recordingStatus: () => recorder?.status() ?? null,
        recordingsDirectory: options.recording?.directory,
        plantText,
        log,
        replayTraffic,
      }), explorer.forView()), annotations),
    modelsDirectory: loaded.modelsDirectory,
    plantFile: loaded.file,
    stop: async () => {
      await explorer.stop();
      outages?.stop();
      await simulator?.stop();
      alarms.stop();
      forecasts.stop();
      await source.stop();
      await recorder?.stop();
      await stopAll();
    },
  };
}

/** Starts recording a loaded plant in a worker thread, embedding its file and models; a failure is shown, never fatal. */
function startRecording(loaded: ReturnType<typeof loadPlantFile>, plantText: string, options: RecordingOptions, log: (line: string) => void): BackgroundRecorder {
  const plant = loaded.plant;
  // The plant's model files and, for a .gltf, the buffers and images beside it: a recording opened elsewhere shows them all.
  const { files: models } = modelFileClosure(plant, (file) => {
    try {
      return readFileSync(join(loaded.modelsDirectory, file));
    } catch (error) {
      // The view reports a missing model too; the recording simply cannot carry it.
      log(`The model file ${file} cannot be embedded in recordings: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  });
  const source = {
    // The worker needs the plant's shape, never the secrets filled into its brokers.
    plant: redactPlant(plant),
    plantText,
    plantFileName: basename(loaded.file),
    models,
    signalKeys: signalOrder(plant).keys,
    brokerIds: plantBrokers(plant).map((broker) => broker.id),
  };
  log(`recording to ${options.directory}`);
  return new BackgroundRecorder(source, options, log);
}
