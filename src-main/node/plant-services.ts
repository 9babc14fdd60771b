import type { TwinlineSource } from '../common/contract.ts';
import type { Plant } from '../common/plant-schema.ts';
import { plantModelFiles } from '../common/plant-model-files.ts';
import { startBrokerLogReport } from './broker-log-reporter.ts';
import { PlantEditor } from './plant-editing/plant-editor.ts';
import { PlantFileFollower } from './plant-editing/plant-file-follower.ts';
import { withPlantEditor } from './plant-editing/with-plant-editor.ts';
import { startHost, type HostOptions, type RunningHost } from './twinline-host.ts';
import { serveToursStore } from './tours/serve-tours.ts';
import type { ToursStore } from './tours/tours-file.ts';
import { withTours } from './tours/with-tours.ts';

/** What runs behind the views of one plant, for `twinline serve` and the desktop host process alike. */
export interface PlantServicesOptions {
  /** How to start the host; started again, the same way, on each saved version of the plant file. */
  host: HostOptions;
  /** Views may edit the plant file: the caller has checked it and its folder are writable. Needs `host.plantFile`. */
  edit?: boolean;
  /** Where viewpoints and tours are kept (default: beside the plant file, or the demo's in `recordingsFolder`). */
  toursFile?: string;
  /** The recordings folder, where the demo keeps its tours. */
  recordingsFolder: string;
  log: (line: string) => void;
  logError: (line: string) => void;
}

/** The running services of one plant: a source per view, the model files to serve (changed in place), and word of a new plant. */
export interface PlantServices {
  /** A source for one more view: the running plant's, with tours and (in edit mode) the plant editor. */
  createViewSource(): TwinlineSource;
  /** The host running the plant now (replaced when the plant file changes). */
  readonly host: RunningHost;
  /** The model files views may load: the running plant's and those the editor offered. Changed in place. */
  readonly modelFiles: Set<string>;
  readonly toursStore: ToursStore;
  /** The plant editor, in edit mode. */
  readonly editor: PlantEditor | undefined;
  /** Hears each new version of the plant once it runs: views must link again to see it. Returns the unsubscribe function. */
  onPlantApplied(listener: (plant: Plant) => void): () => void;
  /** Hears each time the model files grow without a new plant (the editor offered a file to a view). Returns the unsubscribe function. */
  onModelFilesOffered(listener: () => void): () => void;
  stop(): Promise<void>;
}

/**
 * Starts the host of a plant with everything around it: a plant file given is followed (a saved
 * version runs without a restart), edited when asked, and its tours kept beside it.
 */
export async function startPlantServices(options: PlantServicesOptions): Promise<PlantServices> {
  const { log, logError } = options;
  if (options.edit && options.host.plantFile === undefined) throw new Error('Editing needs a plant file: the demo plant is written by a script, not edited');
  const host = await startHost(options.host);
  // After the host starts: the demo keeps its tours in the recordings folder, made by then.
  const toursStore = serveToursStore({ toursFile: options.toursFile, plantFile: options.host.plantFile, recordingsFolder: options.recordingsFolder });
  const modelFiles = new Set(plantModelFiles(host.source.describePlant().plant));
  // Model files the editor listed to a view: served too, so a machine added from one shows before it is saved.
  const offeredModelFiles = new Set<string>();
  const appliedListeners = new Set<(plant: Plant) => void>();
  const offeredListeners = new Set<() => void>();
  const tell = <Argument>(listeners: Set<(argument: Argument) => void>, argument: Argument, what: string) => {
    for (const listener of [...listeners]) {
      try {
        listener(argument);
      } catch (error) {
        logError(`A listener to ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  const offerModelFiles = (files: readonly string[]) => {
    let grew = false;
    for (const file of files) {
      offeredModelFiles.add(file);
      if (!modelFiles.has(file)) grew = true;
      modelFiles.add(file);
    }
    if (grew) tell(offeredListeners, undefined, 'the offered model files');
  };
  let stopBrokerReport = startBrokerLogReport(host.source, log, logError);
  let follower: PlantFileFollower | undefined;
  let editor: PlantEditor | undefined;
  // A plant file given is followed: a change saved to it runs without a restart, and views load it anew.
  if (options.host.plantFile !== undefined) {
    follower = new PlantFileFollower({
      host,
      startHost: () => startHost(options.host),
      onApplied: (next) => {
        const plant = next.source.describePlant().plant;
        modelFiles.clear();
        for (const file of plantModelFiles(plant)) modelFiles.add(file);
        for (const file of offeredModelFiles) modelFiles.add(file);
        stopBrokerReport();
        stopBrokerReport = startBrokerLogReport(next.source, log, logError);
        tell(appliedListeners, plant, 'the applied plant');
        log(`The plant file changed: now showing ${plant.name} (${plant.machines.length} machine${plant.machines.length === 1 ? '' : 's'}); views load it anew`);
      },
      onRefused: (reason) => logError(`The changed plant file was not applied; still showing the plant as it was. ${reason}`),
      logError,
    });
    if (options.edit) {
      editor = new PlantEditor({ file: host.plantFile, follower, log });
      log(`Views may edit the plant file ${host.plantFile}`);
    }
  }
  return {
    createViewSource: () => {
      const source = withTours((follower ?? host).createViewSource(), toursStore);
      return editor ? withPlantEditor(source, editor, offerModelFiles) : source;
    },
    get host() {
      return follower?.host ?? host;
    },
    modelFiles,
    toursStore,
    editor,
    onPlantApplied: (listener) => {
      appliedListeners.add(listener);
      return () => appliedListeners.delete(listener);
    },
    onModelFilesOffered: (listener) => {
      offeredListeners.add(listener);
      return () => offeredListeners.delete(listener);
    },
    stop: async () => {
      editor?.stop();
      stopBrokerReport();
      await (follower ?? host).stop();
    },
  };
}
