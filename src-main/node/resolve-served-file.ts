import { realpath, stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';

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
 * `plantModelFiles`), and only where it really lies inside the models folder. `requested` is the
 * decoded path after "/models/"; anything else gets undefined, which servers answer with 404.
 */
export async function resolveModelFile(modelsDirectory: string, modelFiles: ReadonlySet<string>, requested: string): Promise<string | undefined> {
  if (!modelFiles.has(requested)) return undefined;
  return resolveFileInside(modelsDirectory, requested);
}

function isFileSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
