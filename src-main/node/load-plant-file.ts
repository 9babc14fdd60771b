import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePlantOrThrow } from '../common/parse-plant.ts';
import type { Plant } from '../common/plant-schema.ts';
import { plainTextPasswordWarnings, substituteSecrets, type SecretSources } from './substitute-secrets.ts';

/** A plant read from disk, with the folder its models are served from. */
export interface LoadedPlant {
  plant: Plant;
  file: string;
  modelsDirectory: string;
  /** What to tell the user at start, such as a password written in the file as it is. */
  warnings: string[];
}

/** How the host fills in a plant file's secret references. */
export interface PlantSecretOptions {
  /** Where `${NAME}` references are filled in from; default the process's environment. */
  secrets?: SecretSources;
  /** Broker URLs given at start (`--broker`), which replace the file's; the key "" is the first broker. */
  brokerUrls?: Readonly<Record<string, string>>;
}

/** Largest plant file read, as large as a recording embeds. */
export const maxPlantFileBytes = 8 * 1024 * 1024;

/** The demo plant shipped with Twinline. */
export const demoPlantFile = fileURLToPath(new URL('../../assets/demo-plant.yaml', import.meta.url));

/**
 * Reads and validates a plant file, then fills in its brokers' `${NAME}` references (see
 * substitute-secrets.ts); throws a PlantFileError listing every problem, a SecretReferenceError
 * naming every missing variable, or an Error naming the file.
 */
export function loadPlantFile(file: string, options: PlantSecretOptions = {}): LoadedPlant {
  const path = resolve(file);
  let text: string;
  try {
    // Bounded before it is read: a plant file is kilobytes, and recordings refuse plants over this size.
    const bytes = statSync(path).size;
    if (bytes > maxPlantFileBytes) throw new Error(`it is ${bytes} bytes; a plant file may have at most ${maxPlantFileBytes}`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the plant file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))}`);
  }
  const written = parsePlantOrThrow(text, basename(path));
  const plant = substituteSecrets(written, options.secrets ?? { environment: process.env }, options.brokerUrls);
  // Warned about as written: a password the keychain replaces still sits in the file.
  return { plant, file: path, modelsDirectory: resolve(dirname(path), plant.modelsDirectory), warnings: plainTextPasswordWarnings(written) };
}
