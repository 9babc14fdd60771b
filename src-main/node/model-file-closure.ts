import { gltfFileReferences } from '../common/gltf-file-references.ts';
import type { Plant } from '../common/plant-schema.ts';
import { plantModelFiles } from '../common/plant-model-files.ts';

/** Most bytes of model files gathered for one plant (a recording embeds them all). */
export const maxModelClosureBytes = 2 * 1024 * 1024 * 1024;

/**
 * Every file a plant's models need, relative to the models folder: the files the plant names and,
 * for each `.gltf`, the buffers and images it refers to. `read` gives a file's bytes, or undefined
 * when it cannot; files are read once each, and what cannot be read is listed as missing.
 */
export function modelFileClosure(plant: Plant, read: (file: string) => Uint8Array | undefined): { files: Map<string, Uint8Array>; missing: string[] } {
  const files = new Map<string, Uint8Array>();
  const missing: string[] = [];
  let total = 0;
  const take = (file: string): Uint8Array | undefined => {
    if (files.has(file) || missing.includes(file)) return files.get(file);
    const bytes = read(file);
    if (bytes === undefined || total + bytes.byteLength > maxModelClosureBytes) {
      missing.push(file);
      return undefined;
    }
    total += bytes.byteLength;
    files.set(file, bytes);
    return bytes;
  };
  for (const file of plantModelFiles(plant)) {
    const bytes = take(file);
    if (bytes === undefined || !file.toLowerCase().endsWith('.gltf')) continue;
    for (const reference of gltfFileReferences(file, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')).files) take(reference);
  }
  return { files, missing };
}
