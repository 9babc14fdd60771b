import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Most model files listed for a view; a folder with more says how many were left out. */
export const maxListedModelFiles = 500;
/** Folders below the models folder that are looked into: models sit in it or a level or two down. */
const maxDepth = 3;
/** Most folder entries read in all, so a huge folder cannot hold the host up. */
const maxEntriesRead = 20_000;

/** The model files a view may add a machine from, by name relative to the models folder. */
export interface ModelFileList {
  /** `.glb` and `.gltf` files, with "/" between folders, sorted. */
  files: string[];
  /** Files (or folder entries) not listed because the bounds were reached. */
  more: number;
}

/**
 * The `.glb` and `.gltf` files inside a models folder (regular files only: a symbolic link could lead
 * out of it), as names relative to it, never host paths. A missing folder lists nothing.
 */
export function listModelFiles(modelsDirectory: string): ModelFileList {
  const files: string[] = [];
  let more = 0;
  let read = 0;
  const visit = (folder: string, prefix: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A folder that is not there (or not ours to read) has no models to offer.
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' || code === 'EPERM') return;
      throw error;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (read++ >= maxEntriesRead) {
        more++;
        continue;
      }
      // Hidden files and folders (editor backups, .git) are never offered.
      if (entry.name.startsWith('.')) continue;
      const name = `${prefix}${entry.name}`;
      if (entry.isDirectory() && depth < maxDepth) visit(join(folder, entry.name), `${name}/`, depth + 1);
      else if (entry.isFile() && /\.(glb|gltf)$/i.test(entry.name)) {
        if (files.length < maxListedModelFiles) files.push(name);
        else more++;
      }
    }
  };
  visit(modelsDirectory, '', 0);
  return { files, more };
}
