import { existsSync, writeFileSync } from 'node:fs';
import { openRecordingDatabase } from '../recording/open-recording-database.ts';
import { toursFileFor } from '../tours/tours-file.ts';
import { readPackageInfo } from './package-info.ts';

/**
 * Gives an incident package opened with `twinline open` the tours it carries: they are written beside
 * it as `NAME.tours.yaml` (where an opened recording keeps its tours) when no such file is there yet,
 * never over one. Returns the tours file written, or undefined when there was nothing to write; a
 * folder that cannot be written is reported through `log` and the package opens without its tours.
 */
export function placePackageTours(file: string, log: (line: string) => void): string | undefined {
  const target = toursFileFor(file);
  if (existsSync(target)) return undefined;
  const database = openRecordingDatabase(file, { verify: false });
  let toursText: string | undefined;
  try {
    toursText = readPackageInfo(database)?.toursText;
  } finally {
    database.close();
  }
  if (toursText === undefined) return undefined;
  try {
    writeFileSync(target, toursText, { flag: 'wx' });
    return target;
  } catch (error) {
    log(`The package's tours could not be written beside it as ${target} (${error instanceof Error ? error.message : String(error)}); it opens without them.`);
    return undefined;
  }
}
