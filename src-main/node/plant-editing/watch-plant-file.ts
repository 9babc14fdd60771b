import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { maxPlantFileBytes } from '../load-plant-file.ts';
import { contentHash } from './save-plant-file.ts';

/** A change of the plant file on disk: its new text and content hash. */
export interface PlantFileChange {
  text: string;
  hash: string;
}

/** What to watch and whom to tell. */
export interface WatchPlantFileOptions {
  /** contentHash of the file as loaded: an event that leaves it so is no change. */
  knownHash: string | undefined;
  /** Called once the file has settled with new content. */
  onChange: (change: PlantFileChange) => void;
  /** Called when the file cannot be read or watched; watching goes on where it can. */
  onError: (error: Error) => void;
  /** Called after each look at the file once it settled, changed or not (for tests and diagnostics). */
  onChecked?: () => void;
  /** Quiet time after the last event before the file is read (default 200 ms): editors write in several steps. */
  debounceMs?: number;
}

/** A running watch. */
export interface PlantFileWatch {
  /** Notes content the host wrote itself (a save), so that it is not reported as a change from outside. */
  acknowledge(hash: string): void;
  stop(): void;
}

/**
 * Watches a plant file for changes made outside the app. The folder is watched rather than the
 * file, so that editors that save by writing a new file and renaming it over the old one (vim,
 * VS Code, the editor's own saves) are seen too; events are debounced and the content hashed, so
 * a save that changes nothing, or the host's own save, is not reported.
 */
export function watchPlantFile(file: string, options: WatchPlantFileOptions): PlantFileWatch {
  const name = basename(file);
  const debounceMs = options.debounceMs ?? 200;
  let knownHash = options.knownHash;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const report = (error: unknown, context: string) => {
    try {
      options.onError(new Error(`${context}: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
    } catch (reportError) {
      // The reporter itself failed: nothing else can be told, so the console is.
      console.error(`Watching ${file}: cannot report an error (${String(reportError)})`);
    }
  };

  const check = () => {
    timer = undefined;
    if (stopped) return;
    readAndReport();
    try {
      options.onChecked?.();
    } catch (error) {
      report(error, `Reporting a look at the plant file ${file} failed`);
    }
  };

  const readAndReport = () => {
    let text: string;
    try {
      const size = statSync(file).size;
      if (size > maxPlantFileBytes) throw new Error(`it is ${size} bytes; a plant file may have at most ${maxPlantFileBytes}`);
      text = readFileSync(file, 'utf8');
    } catch (error) {
      // Between an editor's delete and its new file the plant file is briefly missing; its next event comes with the new one.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      return report(error, `Cannot read the changed plant file ${file}`);
    }
    const hash = contentHash(text);
    if (hash === knownHash) return;
    knownHash = hash;
    try {
      options.onChange({ text, hash });
    } catch (error) {
      report(error, `Applying the changed plant file ${file} failed`);
    }
  };

  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      // Some platforms do not name the file; then any change in the folder is checked.
      if (changed !== null && changed !== name) return;
      clearTimeout(timer);
      timer = setTimeout(check, debounceMs);
    });
  } catch (error) {
    throw new Error(`Cannot watch the plant file ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  watcher.on('error', (error) => report(error, `Watching the plant file ${file} failed`));

  return {
    acknowledge(hash) {
      knownHash = hash;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      watcher.close();
    },
  };
}
