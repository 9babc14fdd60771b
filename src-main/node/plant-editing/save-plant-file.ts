import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { maxPlantFileBytes } from '../load-plant-file.ts';
import { writeDurably } from '../write-durably.ts';

/** The file system calls a save makes; tests pass their own to fail one of them. */
export type SaveFileSystem = Pick<typeof fs, 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'copyFileSync' | 'rmSync' | 'readFileSync' | 'statSync' | 'chmodSync'>;

/** How to save: what the file held when it was loaded, so that a change made meanwhile is not overwritten. */
export interface SavePlantOptions {
  /** contentHash of the file as it was loaded (or last saved); undefined: the file must not exist yet. */
  expectedHash: string | undefined;
  /** Keep the previous version as FILE.bak (default on). */
  backup?: boolean;
  fileSystem?: SaveFileSystem;
}

/** Thrown when the file on disk is no longer what the editor loaded: someone else changed it. */
export class PlantFileConflict extends Error {
  /** contentHash of what the file holds now (undefined: it is gone). */
  readonly currentHash: string | undefined;
  constructor(file: string, currentHash: string | undefined) {
    super(
      currentHash === undefined
        ? `${file} was removed since it was loaded; nothing was written. Save again to write it anew, or reload.`
        : `${file} was changed by someone else since it was loaded; nothing was written. Reload it (your changes are lost) or save over it.`,
    );
    this.name = 'PlantFileConflict';
    this.currentHash = currentHash;
  }
}

/** SHA-256 of a file's bytes (or text as UTF-8), in hex: what tells one version of a plant file from another. */
export function contentHash(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** contentHash of the file now, or undefined when it does not exist; bounded like any plant file read. */
export function currentFileHash(file: string, fileSystem: Pick<SaveFileSystem, 'readFileSync' | 'statSync'> = fs): string | undefined {
  let bytes: Buffer;
  try {
    if (fileSystem.statSync(file).size > maxPlantFileBytes) throw new Error(`${file} is larger than a plant file may be (${maxPlantFileBytes} bytes)`);
    bytes = fileSystem.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return contentHash(bytes);
}

/**
 * Writes a plant file: validated first (an invalid plant is never written), refused with a
 * PlantFileConflict when the file changed since it was loaded, the previous version kept as
 * FILE.bak, and written atomically: a temporary file in the same folder, flushed to disk, then
 * renamed over the file. If anything fails, the file holds its old content. Returns the new
 * content's hash, the `expectedHash` of the next save.
 */
export function savePlantFile(file: string, text: string, options: SavePlantOptions): string {
  const fileSystem = options.fileSystem ?? fs;
  parsePlantOrThrow(text, basename(file));
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > maxPlantFileBytes) throw new Error(`The plant would be ${bytes.length} bytes; a plant file may have at most ${maxPlantFileBytes}`);
  const currentHash = currentFileHash(file, fileSystem);
  if (currentHash !== options.expectedHash) throw new PlantFileConflict(file, currentHash);
  const folder = dirname(file);
  const temporary = join(folder, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeDurably(temporary, bytes, fileSystem);
    if (currentHash !== undefined) {
      // The new file keeps the old one's permissions, as an editor saving in place would.
      fileSystem.chmodSync(temporary, fileSystem.statSync(file).mode & 0o7777);
      if (options.backup !== false) backUp(fileSystem, file);
    }
    fileSystem.renameSync(temporary, file);
  } catch (error) {
    try {
      fileSystem.rmSync(temporary, { force: true });
    } catch (cleanupError) {
      // The save has failed already; a temporary file left behind is named in the error.
      throw new Error(`Cannot save ${file}: ${reasonOf(error)} (and the temporary file ${temporary} could not be removed: ${reasonOf(cleanupError)})`, { cause: error });
    }
    throw new Error(`Cannot save ${file}: ${reasonOf(error)}; the file is unchanged`, { cause: error });
  }
  syncFolder(fileSystem, folder);
  return contentHash(bytes);
}

/** Copies the file to FILE.bak, itself through a temporary copy and a rename, so a half-written backup never replaces a whole one. */
function backUp(fileSystem: SaveFileSystem, file: string): void {
  const backup = `${file}.bak`;
  const temporary = `${backup}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    fileSystem.copyFileSync(file, temporary);
    fileSystem.renameSync(temporary, backup);
  } catch (error) {
    fileSystem.rmSync(temporary, { force: true });
    throw new Error(`cannot keep the previous version as ${backup}: ${reasonOf(error)}`, { cause: error });
  }
}

/** Flushes the folder, so that the rename itself survives a power cut. */
function syncFolder(fileSystem: SaveFileSystem, folder: string): void {
  let descriptor: number | undefined;
  try {
    descriptor = fileSystem.openSync(folder, 'r');
    fileSystem.fsyncSync(descriptor);
  } catch (error) {
    // Some file systems (and Windows) cannot sync a folder; the file itself is written and renamed by now.
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    if (descriptor !== undefined) fileSystem.closeSync(descriptor);
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
