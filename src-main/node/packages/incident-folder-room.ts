import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Most packages a view may leave in the incidents folder: beyond it a view is refused until someone moves or deletes some. */
export const maxViewIncidentPackages = 100;
/** Most bytes those packages may take together: a view cannot fill the recordings' disk with packages. */
export const maxViewIncidentBytes = 4 * 1024 * 1024 * 1024;

const packageName = /^incident-.*\.twinline$/;

/**
 * Throws, saying why, when the incidents folder has no room for another package saved from a view
 * (too many packages, or too many bytes); a missing folder has room.
 */
export function checkIncidentFolderRoom(folder: string, limits = { packages: maxViewIncidentPackages, bytes: maxViewIncidentBytes }): void {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => packageName.test(name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (names.length >= limits.packages) throw new Error(`the incidents folder holds ${names.length} packages already (at most ${limits.packages} are saved from views): move or delete some first`);
  let bytes = 0;
  for (const name of names) {
    try {
      bytes += statSync(join(folder, name)).size;
    } catch (error) {
      // One that went meanwhile takes no room.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  if (bytes >= limits.bytes) throw new Error(`the incidents folder's packages take ${Math.round(bytes / 1024 / 1024)} MiB already (at most ${Math.round(limits.bytes / 1024 / 1024)} MiB are saved from views): move or delete some first`);
}
