// Entry of the Electron utility process that runs the host, so MQTT ingest never blocks a window.
import type { MessagePortMain } from 'electron';
import type { MessageEndpoint, TwinlineSource } from '../common/contract.ts';
import { plantModelFiles } from '../common/plant-model-files.ts';
import { serveView } from '../common/view-session.ts';
import { installFatalErrorHandlers } from '../node/fatal-errors.ts';
import { openRecording } from '../node/open-recording.ts';
import { placePackageTours } from '../node/packages/package-tours.ts';
import { checkPlantFileWritable } from '../node/plant-editing/plant-editor.ts';
import { startPlantServices, type PlantServices } from '../node/plant-services.ts';
import { RotatingLog } from '../node/rotating-log.ts';
import { recordingToursStore } from '../node/tours/serve-tours.ts';
import { withTours } from '../node/tours/with-tours.ts';
import { parseBrokerArguments } from '../node/twinline-host.ts';
import { setReplayProcessLauncher } from '../node/replay/replay-process-client.ts';
import { hostProcessMessages, type HostProcessRequest } from './host-process-messages.ts';
import { replayChannelThroughShell } from './shell-replay-channel.ts';

/** The contract's endpoint over an Electron MessagePortMain (structured clone, no JSON). */
function messagePortEndpoint(port: MessagePortMain): MessageEndpoint {
  return {
    send: (message) => port.postMessage(message),
    // A frame made as text (by a replay worker) goes as that text; the view's client parses text messages.
    sendEncodedFrame: (event) => port.postMessage(event.encoded),
    onMessage: (listener) => {
      const handler = (event: Electron.MessageEvent) => listener(event.data);
      port.on('message', handler);
      return () => port.off('message', handler);
    },
    onClose: (listener) => {
      port.on('close', listener);
      return () => port.off('close', listener);
    },
    close: () => port.close(),
  };
}

/** Every value given for an option, e.g. all `--broker` values. */
function argumentValues(name: string): string[] {
  return process.argv.flatMap((value, index) => (process.argv[index - 1] === name ? [value] : []));
}

/** Longest the host waits for the shell's first message (the keychain's passwords) before it starts without them. */
const brokerPasswordsWaitMs = 10_000;

/** Longest password taken from the shell, as the shell itself accepts. */
const maxPasswordLength = 1024;

/**
 * The keychain's broker passwords, from the shell's first message: checked (broker ids, text, length),
 * and never logged. Without that message in time the host starts without them and says so.
 */
function receiveBrokerPasswords(): Promise<Record<string, string>> {
  return new Promise((resolvePasswords) => {
    const timer = setTimeout(() => {
      process.parentPort.off('message', onMessage);
      log('the shell sent no broker passwords; starting without stored passwords');
      resolvePasswords({});
    }, brokerPasswordsWaitMs);
    function onMessage(event: Electron.MessageEvent): void {
      const message = event.data as { type?: unknown; passwords?: unknown } | undefined;
      if (message?.type !== hostProcessMessages.brokerPasswords) return;
      clearTimeout(timer);
      process.parentPort.off('message', onMessage);
      const passwords: Record<string, string> = {};
      if (message.passwords !== null && typeof message.passwords === 'object') {
        for (const [brokerId, password] of Object.entries(message.passwords)) {
          if (/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(brokerId) && typeof password === 'string' && password.length > 0 && password.length <= maxPasswordLength) passwords[brokerId] = password;
          else log(`a stored password for broker "${brokerId.slice(0, 64)}" is not usable and is left out`);
        }
      }
      resolvePasswords(passwords);
    }
    process.parentPort.on('message', onMessage);
  });
}

/** What the host serves its windows: a source per view, and where its model files are. */
interface HostServices {
  createViewSource(): TwinlineSource;
  modelsDirectory: string;
  modelFiles: string[];
  plantName: string;
  /** The live plant's services (followed, edited, with tours); none when replaying. */
  plant?: PlantServices;
}

/** Whether views may edit the plant: asked for (`--edit`, a plant of the user's) and the file and its folder writable; a read-only plant just has no edit mode. */
function editAllowed(plantFile: string | undefined): boolean {
  if (!process.argv.includes('--edit') || plantFile === undefined) return false;
  try {
    checkPlantFileWritable(plantFile);
    return true;
  } catch (error) {
    log(`the plant is shown without edit mode: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

/** The live plant (with recording, following its file, tours and edit mode), or with `--open FILE` a recording on its own. */
async function startServices(): Promise<HostServices> {
  const recordingFile = argumentValues('--open')[0];
  if (recordingFile) {
    const opened = await openRecording(recordingFile, log);
    process.once('exit', () => opened.close());
    // An incident package brings its tours: placed beside it, where an opened recording keeps them, as `twinline open` does.
    placePackageTours(recordingFile, log);
    const toursStore = recordingToursStore(recordingFile);
    return { createViewSource: () => withTours(opened.createViewSource(), toursStore), modelsDirectory: opened.modelsDirectory, modelFiles: [...plantModelFiles(opened.description.plant)], plantName: opened.description.sourceLabel };
  }
  const recordings = argumentValues('--out')[0];
  const brokerPasswords = await receiveBrokerPasswords();
  const plantFile = argumentValues('--plant')[0];
  const plant = await startPlantServices({
    host: { plantFile, brokerUrls: parseBrokerArguments(argumentValues('--broker')), brokerPasswords, recording: recordings ? { directory: recordings } : null, log },
    edit: editAllowed(plantFile),
    toursFile: argumentValues('--tours')[0],
    recordingsFolder: recordings ?? '.',
    log,
    logError: log,
  });
  log(`viewpoints and tours are kept in ${plant.toursStore.file}${plant.toursStore.writable ? '' : ' (read-only: it or its folder cannot be written)'}`);
  return { createViewSource: plant.createViewSource, modelsDirectory: plant.host.modelsDirectory, modelFiles: [...plant.modelFiles], plantName: plant.host.source.describePlant().plant.name, plant };
}

// The shell names the log (`--log FILE`, in its logs folder); an error nothing handled is written there before the host exits for the shell to restart it.
const logFile = argumentValues('--log')[0];
const hostLog = logFile === undefined ? undefined : new RotatingLog({ file: logFile });
/** A line on the console and in the host's log. */
function log(line: string): void {
  console.log(line);
  hostLog?.write(line);
}
installFatalErrorHandlers((line) => {
  console.error(line);
  hostLog?.write(line);
});
// Replay beside live runs in a process of its own at the lowest priority; only the shell can start one.
setReplayProcessLauncher((level) => replayChannelThroughShell(process.parentPort, log, level));

/** The ports of the windows' views, so a new plant can close them and the windows link again to it. */
const viewPorts = new Set<MessagePortMain>();

/** Tells the shell of a new plant (its model files, its name), then closes every view's port: each window links again and loads it. */
function followPlant(plant: PlantServices): void {
  plant.onPlantApplied((applied) => {
    process.parentPort.postMessage({ type: hostProcessMessages.plantApplied, modelsDirectory: plant.host.modelsDirectory, modelFiles: [...plant.modelFiles], plantName: applied.name });
    for (const port of [...viewPorts]) port.close();
    viewPorts.clear();
  });
  plant.onModelFilesOffered(() => process.parentPort.postMessage({ type: hostProcessMessages.modelFilesOffered, modelFiles: [...plant.modelFiles] }));
}

async function main(): Promise<void> {
  const services = await startServices();
  if (services.plant) followPlant(services.plant);
  process.parentPort.on('message', (event) => {
    const request = event.data as HostProcessRequest | undefined;
    const port = event.ports[0];
    if (request?.type !== hostProcessMessages.connectView || !port) return;
    try {
      serveView(messagePortEndpoint(port), services.createViewSource(), log);
    } catch (error) {
      // One window's view failing to start must not stop the host the other windows share.
      log(`Twinline: a window's view could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      port.close();
      return;
    }
    viewPorts.add(port);
    port.on('close', () => viewPorts.delete(port));
    port.start();
  });
  // The shell serves only the model files the plant names, as `twinline serve` does.
  process.parentPort.postMessage({ type: hostProcessMessages.ready, modelsDirectory: services.modelsDirectory, modelFiles: services.modelFiles, plantName: services.plantName });
}

main().catch((error: unknown) => {
  log(`host cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.parentPort.postMessage({ type: hostProcessMessages.failed, message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
