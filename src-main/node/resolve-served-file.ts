import { readFile, realpath, stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { gltfFileReferences, maxGltfJsonBytes } from '../common/gltf-file-references.ts';

/**
 * The real path of a regular file inside `directory`, or undefined when there is none or it lies outside:
 * ".." steps are refused before anything is touched, and symbolic links are resolved (realpath) and
 * must still end inside the folder's own real path, so a link in the folder cannot hand out another file.
 */
export async function resolveFileInside(directory: string, relativePath: string): Promise<string | undefined> {
  if (relativePath.includes('\0')) return undefined;
  const root = normalize(directory + sep);
  const candidate = normalize(join(root, relativePath));
  if (!candidate.startsWith(root)) return undefined;
  try {
    const realRoot = await realpath(directory);
    const realFile = await realpath(candidate);
    const inside = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
    if (!realFile.startsWith(inside)) return undefined;
    return (await stat(realFile)).isFile() ? realFile : undefined;
  } catch (error) {
    // Missing, a dangling link, a loop of links or no permission: in each case there is nothing to serve.
    if (isFileSystemError(error)) return undefined;
    throw error;
  }
}

/**
 * The file on disk for a request under /models/: only a model file the plant names (see
 * `plantModelFiles`) or a file one of its .gltf models refers to (its .bin and textures, see
 * `gltfFileReferences`), and only where it really lies inside the models folder. `requested` is the
 * decoded path after "/models/"; anything else gets undefined, which servers answer with 404.
 */
export async function resolveModelFile(modelsDirectory: string, modelFiles: ReadonlySet<string>, requested: string): Promise<string | undefined> {
  if (!modelFiles.has(requested) && !(await referencedModelFiles(modelsDirectory, modelFiles)).has(requested)) return undefined;
  return resolveFileInside(modelsDirectory, requested);
}

/** How long the files a plant's .gltf models refer to are remembered before their JSON is read again. */
const referencesLifetimeMs = 5_000;

/** The referenced files, per set of plant model files (a new plant brings a new set) and models folder. */
const referencesCache = new WeakMap<ReadonlySet<string>, { modelsDirectory: string; readAt: number; files: Promise<Set<string>> }>();

/**
 * Every file the plant's .gltf models refer to, read from their JSON (each at most `maxGltfJsonBytes`).
 * Remembered for a few seconds, so the many requests of one load read each .gltf once, while an edited
 * .gltf is followed soon after.
 */
async function referencedModelFiles(modelsDirectory: string, modelFiles: ReadonlySet<string>): Promise<Set<string>> {
  const cached = referencesCache.get(modelFiles);
  if (cached && cached.modelsDirectory === modelsDirectory && Date.now() - cached.readAt < referencesLifetimeMs) return cached.files;
  const files = readReferences(modelsDirectory, modelFiles);
  referencesCache.set(modelFiles, { modelsDirectory, readAt: Date.now(), files });
  return files;
}

async function readReferences(modelsDirectory: string, modelFiles: ReadonlySet<string>): Promise<Set<string>> {
  const referenced = new Set<string>();
  for (const model of modelFiles) {
    if (!model.toLowerCase().endsWith('.gltf')) continue;
    const file = await resolveFileInside(modelsDirectory, model);
    if (file === undefined) continue;
    let text: string;
    try {
      if ((await stat(file)).size > maxGltfJsonBytes) continue;
      text = await readFile(file, 'utf8');
    } catch (error) {
      // Removed or made unreadable since it was resolved: it refers to nothing, and the view reports the model.
      if (isFileSystemError(error)) continue;
      throw error;
    }
    for (const reference of gltfFileReferences(model, text).files) referenced.add(reference);
  }
  return referenced;
}

function isFileSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
