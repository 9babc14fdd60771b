import { normaliseModelFile } from './plant-model-files.ts';

/** Most bytes of a .gltf file's JSON that are read to find the files it refers to. */
export const maxGltfJsonBytes = 32 * 1024 * 1024;

/** Most files one .gltf may refer to; a file naming more is not a model anyone exported. */
export const maxGltfReferences = 10_000;

/** The files a .gltf refers to, and the references that are refused (with why). */
export interface GltfFileReferences {
  /** Files relative to the models folder, "/" between folders: what a server may hand out beside the .gltf. */
  files: string[];
  /** URIs that are not served: absolute, another scheme, stepping outside the folder, or unreadable. */
  refused: Array<{ uri: string; reason: string }>;
}

/**
 * The buffer and image files a .gltf's JSON refers to, resolved against the .gltf's own folder (`gltfFile`,
 * relative to the models folder). Only relative references inside the models folder count: `data:` URIs
 * need no file, and absolute paths, other schemes, `..` steps, queries and fragments are refused.
 */
export function gltfFileReferences(gltfFile: string, jsonText: string): GltfFileReferences {
  const result: GltfFileReferences = { files: [], refused: [] };
  if (jsonText.length > maxGltfJsonBytes) {
    result.refused.push({ uri: gltfFile, reason: `its JSON is larger than ${maxGltfJsonBytes} bytes` });
    return result;
  }
  let document: unknown;
  try {
    document = JSON.parse(jsonText);
  } catch (error) {
    // A broken .gltf refers to nothing; the view reports the parse error when it loads the file itself.
    result.refused.push({ uri: gltfFile, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` });
    return result;
  }
  const folder = gltfFile.includes('/') ? gltfFile.slice(0, gltfFile.lastIndexOf('/') + 1) : '';
  const seen = new Set<string>();
  for (const uri of uris(document)) {
    if (seen.size >= maxGltfReferences) {
      result.refused.push({ uri, reason: `more than ${maxGltfReferences} files referenced` });
      break;
    }
    if (uri.startsWith('data:')) continue;
    const reason = refusalOf(uri);
    if (reason !== undefined) {
      result.refused.push({ uri, reason });
      continue;
    }
    const file = normaliseModelFile(folder + decodeURIComponent(uri));
    if (file === undefined) result.refused.push({ uri, reason: 'not a file inside the models folder' });
    else if (!seen.has(file)) {
      seen.add(file);
      result.files.push(file);
    }
  }
  return result;
}

/** The `uri` texts of a glTF document's buffers and images, whatever else it holds. */
function uris(document: unknown): string[] {
  const found: string[] = [];
  if (document === null || typeof document !== 'object') return found;
  for (const key of ['buffers', 'images']) {
    const list = (document as Record<string, unknown>)[key];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const uri = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>).uri : undefined;
      if (typeof uri === 'string') found.push(uri);
    }
  }
  return found;
}

/** Why a (non-data) URI is not served, or undefined when it is a plain relative reference. */
function refusalOf(uri: string): string | undefined {
  if (uri === '') return 'empty';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri)) return 'an absolute URI (only files beside the .gltf are served)';
  if (uri.startsWith('/') || uri.startsWith('\\')) return 'an absolute path (only files beside the .gltf are served)';
  if (uri.includes('?') || uri.includes('#')) return 'a query or fragment';
  let decoded: string;
  try {
    decoded = decodeURIComponent(uri);
  } catch {
    // A malformed escape names no file at all.
    return 'not valid percent-encoding';
  }
  if (decoded.includes('\0')) return 'a NUL character';
  if (/^[A-Za-z]:/.test(decoded) || decoded.startsWith('/') || decoded.startsWith('\\')) return 'an absolute path (only files beside the .gltf are served)';
  if (decoded.split(/[/\\]/).includes('..')) return 'a ".." step out of the folder';
  return undefined;
}
