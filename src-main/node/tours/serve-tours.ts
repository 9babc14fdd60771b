import { accessSync, constants, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { tourNamePattern } from '../../common/tours/tour-name.ts';
import { ToursStore, toursFileFor } from './tours-file.ts';

/** The demo plant's tours file, kept in the recordings folder: the demo plant itself is part of the program, not the user's. */
const demoToursFileName = 'demo-plant.tours.yaml';

/** Whether the host may write the file (or create it in its folder). */
function canWrite(file: string): boolean {
  try {
    accessSync(existsSync(file) ? file : dirname(file), constants.W_OK);
    return true;
  } catch {
    // Not writable is an answer, not a failure: the tours are then shown read-only.
    return false;
  }
}

/**
 * Where `serve` keeps its tours: `--tours FILE` when given, else `<plant>.tours.yaml` beside the
 * plant file, else (the demo) in the recordings folder. Read-only when the file or folder is not writable.
 */
export function serveToursStore(options: { toursFile: string | undefined; plantFile: string | undefined; recordingsFolder: string }): ToursStore {
  const file = options.toursFile !== undefined ? resolve(options.toursFile) : options.plantFile !== undefined ? toursFileFor(resolve(options.plantFile)) : join(resolve(options.recordingsFolder), demoToursFileName);
  return new ToursStore({ file, writable: canWrite(file) });
}

/** Where `open` keeps a recording's tours: `<recording>.tours.yaml` beside it, read-only when that folder is not writable. */
export function recordingToursStore(recordingFile: string): ToursStore {
  const file = toursFileFor(resolve(recordingFile));
  return new ToursStore({ file, writable: canWrite(file) });
}

/** Checks `--kiosk TOUR`'s name and says whether the tours file has it (a kiosk may be started before its tour is written). */
export function checkKioskTour(store: ToursStore, tour: string): string | null {
  if (!tourNamePattern.test(tour)) throw new Error(`--kiosk needs a tour's name (1 to 80 characters, no control characters), not "${tour}"`);
  const view = store.view();
  if (view.problem) return `${basename(store.file)} cannot be read (${view.problem}); the kiosk waits for tour "${tour}"`;
  if (!view.document.tours.some((candidate) => candidate.name === tour)) return `${basename(store.file)} has no tour "${tour}" yet; the kiosk shows it once it is saved`;
  return null;
}

/** The view's address that opens straight into presentation mode looping `tour` (`?present=TOUR`, kept when the view rewrites its fragment). */
export function kioskUrl(url: string, tour: string): string {
  const address = new URL(url);
  address.searchParams.set('present', tour);
  return address.toString();
}
