import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, lstat, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { incidentDownload } from './incident-download.ts';
import { incidentsFolderName } from './save-incident.ts';

/**
 * The saved package a name from `saveIncident` (`incidents/incident-….twinline`) stands for in this
 * recordings folder, or undefined when the name is not one the host makes: a window's request never
 * reaches another file.
 */
export function savedIncidentPackage(recordingsFolder: string, name: unknown): string | undefined {
  if (typeof name !== 'string' || !name.startsWith(`${incidentsFolderName}/`)) return undefined;
  const named = incidentDownload(join(recordingsFolder, incidentsFolderName), name.slice(incidentsFolderName.length + 1));
  return named ? join(named.directory, named.name) : undefined;
}

/**
 * Copies a saved incident package to where the user chose. The copy goes to a temporary name beside
 * the target (never one already there) and is renamed over it only when whole, so an interrupted copy never leaves a package
 * that looks complete; a source that is not a regular file (a link put in its place) is refused.
 */
export async function copyIncidentPackage(source: string, target: string): Promise<void> {
  const found = await lstat(source).catch((error: unknown) => {
    throw new Error(`the package is no longer in the recordings folder (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  });
  if (!found.isFile()) throw new Error('the saved package is not a regular file');
  // A name of its own (hidden, random): a file the user keeps beside the target is never overwritten or removed.
  const partial = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    // The kernel copies (copy-on-write where the file system can); the event loop is never held. COPYFILE_EXCL: never over a file already there.
    await copyFile(source, partial, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL);
  } catch (error) {
    // A name already taken is a file that was there before, not a partial copy of ours: it stays.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await rm(partial, { force: true });
    throw error;
  }
  try {
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
