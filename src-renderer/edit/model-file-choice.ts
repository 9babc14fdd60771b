import { modelSchema } from '../../src-main/common/plant-schema.ts';

/**
 * Why a plant cannot name this file of the models folder as a machine's model, or undefined when it can:
 * the plant file takes a file in the models folder itself (no subfolder) named with letters, digits, "_",
 * "." and "-", ending in .glb or .gltf. Such a file is listed, but cannot be chosen.
 */
export function modelFileChoiceProblem(file: string): string | undefined {
  if (modelSchema.shape.file.safeParse(file).success) return undefined;
  if (file.includes('/')) return `${file} is in a folder: a plant names model files in the models folder itself; move it there to add it`;
  return `${file} cannot be named in a plant file (letters, digits, "_", "." and "-" only, ending in .glb or .gltf): rename it to add it`;
}
