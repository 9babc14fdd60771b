import { mkdirSync, openSync, closeSync, writeSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { renderText } from './render-yaml-value.ts';

/** What a new plant starts with. */
export interface NewPlantOptions {
  /** The broker the plant's telemetry comes from, e.g. mqtt://10.0.0.5:1883. */
  brokerUrl: string;
  /** The plant's name; default the folder's name. */
  name?: string;
}

/** The file a new plant is written to, in its folder. */
export const newPlantFileName = 'plant.yaml';

/**
 * The text of a new plant file: the broker, no machines yet, and comments saying what to do next.
 * Throws when the URL is not a broker URL or carries a password, which belongs in the environment.
 */
export function newPlantText(options: Required<NewPlantOptions>): string {
  const url = checkBrokerUrl(options.brokerUrl);
  const text = `# A Twinline plant. This file is the plant: Twinline's editor changes it in place and keeps
# your comments, and it can be edited by hand as well (the README's "The plant file" lists every field).
name: ${renderText(options.name.trim() || 'New plant')}
brokers:
  - id: main
    url: ${renderText(url)}
    # A broker that wants a login: username: viewer, and password: \${PLANT_MQTT_PASSWORD}
    # (filled in from the environment at start; never write the password itself here).
# Model files (.glb, .gltf) of the machines go in this folder, beside this file.
modelsDirectory: models
# No machines yet. Next: open the plant for editing (twinline serve --plant ${newPlantFileName} --edit), see what
# the broker carries (twinline topics), then add machines from the models folder and bind their signals.
machines: []
`;
  // What is written must open: a mistake here is this program's, found before the user meets it.
  parsePlantOrThrow(text, newPlantFileName);
  return text;
}

/** Writes a new plant into `folder` (made if missing) with an empty models folder beside it; never replaces a plant file. Returns the file written. */
export function writeNewPlant(folder: string, options: NewPlantOptions): string {
  const directory = resolve(folder);
  const text = newPlantText({ brokerUrl: options.brokerUrl, name: options.name ?? (basename(directory) || 'New plant') });
  mkdirSync(join(directory, 'models'), { recursive: true });
  const file = join(directory, newPlantFileName);
  let descriptor: number;
  try {
    descriptor = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${file} exists: twinline new never replaces a plant file (open it with twinline serve --plant ${file}, or choose another folder)`);
    throw new Error(`Cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    writeSync(descriptor, text);
  } catch (error) {
    closeSync(descriptor);
    // A half-written plant file would be refused when opened: none is better.
    rmSync(file, { force: true });
    throw new Error(`Cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  closeSync(descriptor);
  return file;
}

/** The URL when it is a broker URL without credentials; throws saying what is wrong, never repeating a password. */
function checkBrokerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text is not repeated: it may hold a password mistyped around.
    throw new Error('--broker needs a URL such as mqtt://10.0.0.5:1883');
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:'].includes(url.protocol)) throw new Error(`--broker needs an mqtt://, mqtts://, ws:// or wss:// URL, not ${url.protocol}//`);
  if (url.username !== '' || url.password !== '') {
    throw new Error('--broker: leave the username and password out of the URL; the plant file takes username: and password: ${VARIABLE} from the environment');
  }
  if (/\s/.test(text)) throw new Error('--broker: a URL has no spaces');
  return text;
}
