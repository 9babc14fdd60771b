import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.ts';
import { LiveSource } from './live-source.ts';
import { demoPlantFile, loadPlantFile } from './load-plant-file.ts';
import { PlantSimulator } from './plant-simulator.ts';

/** What to watch: a real plant (`plantFile` + `brokerUrl`) or, with neither, the demo. */
export interface HostOptions {
  plantFile?: string;
  brokerUrl?: string;
  /** Run the simulator; default on when no broker is given. */
  simulate?: boolean;
  frameIntervalMs?: number;
  log?: (line: string) => void;
}

/** A running host: the live source plus what it started for the demo. */
export interface RunningHost {
  source: LiveSource;
  modelsDirectory: string;
  plantFile: string;
  brokerUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the services behind every view. Without a broker it starts an embedded one on loopback
 * and a simulator, so the demo runs with no setup.
 */
export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  const log = options.log ?? (() => undefined);
  const loaded = loadPlantFile(options.plantFile ?? demoPlantFile);
  let embedded: EmbeddedBroker | undefined;
  let brokerUrl = options.brokerUrl;
  if (brokerUrl === undefined && loaded.plant.brokers.length === 0) {
    embedded = await startEmbeddedBroker();
    brokerUrl = embedded.url;
    log(`embedded MQTT broker on ${embedded.url}`);
  }
  const source = new LiveSource({
    plant: loaded.plant,
    defaultBrokerUrl: brokerUrl,
    sourceLabel: loaded.plant.name,
    frameIntervalMs: options.frameIntervalMs,
  });
  source.start();
  let simulator: PlantSimulator | undefined;
  if (options.simulate ?? embedded !== undefined) {
    simulator = new PlantSimulator(loaded.plant);
    await simulator.start(brokerUrl ?? loaded.plant.brokers[0]!.url);
    log(`simulating ${loaded.plant.machines.length} machines`);
  }
  return {
    source,
    modelsDirectory: loaded.modelsDirectory,
    plantFile: loaded.file,
    brokerUrl: brokerUrl ?? loaded.plant.brokers.map((broker) => broker.url).join(', '),
    stop: async () => {
      await simulator?.stop();
      await source.stop();
      await embedded?.close();
    },
  };
}
