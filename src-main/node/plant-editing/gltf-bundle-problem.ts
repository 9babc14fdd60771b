import { gltfFileReferences, maxGltfJsonBytes } from '../../common/gltf-file-references.ts';

/** A file uploaded beside a .gltf: its name as the .gltf refers to it, and its bytes. */
export interface CompanionFile {
  name: string;
  bytes: Uint8Array;
}

/** Most references to name when a .gltf and the files dropped with it do not match: enough to act on, bounded. */
const maxNamed = 5;

/**
 * Why a file may not be written beside an uploaded .gltf under this name, or undefined when it may: a plain
 * file name (no folder, no "." or ".." and not hidden), no control characters or characters Windows cannot
 * hold, not ending in a dot or space, and not a name Windows keeps for a device. The name is the .gltf's
 * own reference, so it is checked, never changed.
 */
export function companionNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 255) return 'a file name has 1 to 255 characters';
  if (/[/\\]/.test(name)) return 'it names a folder: only files beside the .gltf can be dropped with it';
  if (name.startsWith('.')) return 'a hidden file (or "." / "..") cannot be dropped with a model';
  // Control characters and those Windows refuses in a name: the plant must move between machines.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f<>:"|?*]/.test(name)) return 'it holds a character a file name cannot hold everywhere';
  if (/[. ]$/.test(name)) return 'it ends in a dot or a space, which Windows drops';
  if (/^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i.test(name.split('.')[0]!.trim())) return 'Windows keeps this name for a device';
  return undefined;
}

/**
 * Why a .gltf and the files dropped with it are not one usable model, or undefined when they are: its JSON
 * is bounded, every buffer and image it refers to (other than data: URIs) is a plain file name beside it,
 * each of those files was dropped with it under exactly that name, nothing else was, and every buffer file
 * holds at least the bytes the .gltf says. `modelBytesProblem` has checked that it is glTF at all.
 */
export function gltfBundleProblem(gltfName: string, gltfBytes: Uint8Array, companions: readonly CompanionFile[]): string | undefined {
  if (gltfBytes.length > maxGltfJsonBytes) return `its JSON is larger than ${maxGltfJsonBytes} bytes`;
  const text = new TextDecoder('utf-8', { fatal: true }).decode(gltfBytes);
  // Resolved against the .gltf's own name alone: a reference with a folder stays visible as one.
  const references = gltfFileReferences(gltfName, text);
  if (references.refused.length > 0) {
    return `it refers to ${references.refused
      .slice(0, maxNamed)
      .map(({ uri, reason }) => `${uri.slice(0, 80)} (${reason})`)
      .join(', ')}`;
  }
  const inFolder = references.files.filter((file) => file.includes('/'));
  if (inFolder.length > 0) return `it refers to ${inFolder.slice(0, maxNamed).join(', ')} in a folder: only files beside the .gltf can be dropped with it (or copy the folder into the models folder)`;
  const dropped = new Map(companions.map((file) => [file.name, file]));
  const missing = references.files.filter((file) => !dropped.has(file));
  if (missing.length > 0) return `it refers to ${missing.slice(0, maxNamed).join(', ')}, which ${missing.length === 1 ? 'was' : 'were'} not dropped with it`;
  const named = new Set(references.files);
  const extra = companions.filter((file) => !named.has(file.name)).map((file) => file.name);
  if (extra.length > 0) return `${extra.slice(0, maxNamed).join(', ')} ${extra.length === 1 ? 'was' : 'were'} dropped with it, but it does not refer to ${extra.length === 1 ? 'it' : 'them'}`;
  for (const buffer of buffersOf(text)) {
    const file = buffer.uri === undefined ? undefined : dropped.get(safeDecode(buffer.uri));
    if (file && file.bytes.length < buffer.byteLength) return `its buffer ${file.name} has ${file.bytes.length} bytes, but the .gltf says ${buffer.byteLength}`;
  }
  return undefined;
}

/** The buffers of a glTF document (already parsed once by `gltfFileReferences`, so known to be JSON) with a numeric length. */
function buffersOf(text: string): Array<{ uri: string | undefined; byteLength: number }> {
  const document = JSON.parse(text) as { buffers?: unknown };
  if (!Array.isArray(document.buffers)) return [];
  return document.buffers.flatMap((buffer: unknown) => {
    if (buffer === null || typeof buffer !== 'object') return [];
    const { uri, byteLength } = buffer as { uri?: unknown; byteLength?: unknown };
    return typeof byteLength === 'number' ? [{ uri: typeof uri === 'string' ? uri : undefined, byteLength }] : [];
  });
}

/** A reference as a file name (percent-decoded); as written when it cannot be decoded (it then matches no file). */
function safeDecode(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    // gltfFileReferences has refused such a reference already: as written, it matches no file.
    return uri;
  }
}
