import { maxModelCompanionFiles, maxModelUploadBytes, sanitiseModelFileName } from '../../src-main/common/model-upload.ts';
import { formatBytes } from '../ui/format-bytes.ts';

/** The model file of a drop and the files that go up with it (a .gltf's buffers and images), or why the drop is refused. */
export type ModelDrop<F> = { model: F; companions: F[] } | { problem: string };

/**
 * Sorts the files dropped on the view into one model file and the files beside it: a .glb alone, or a
 * .gltf with the buffers and images it refers to (the host checks that they are exactly those). Refused
 * here already: no model or two, files with a .glb, too many files, empty ones, or too many bytes in all.
 */
export function modelDropOf<F extends { name: string; size: number }>(files: readonly F[]): ModelDrop<F> {
  const models = files.filter((file) => /\.(glb|gltf)$/i.test(file.name));
  if (models.length !== 1) return { problem: models.length === 0 ? 'no .glb or .gltf file was dropped' : `drop one model at a time (${models.length} were dropped: ${models.map((file) => file.name).join(', ')})` };
  const model = models[0]!;
  if (sanitiseModelFileName(model.name) === undefined) return { problem: `${model.name} is not a model file: drop a .glb, or a .gltf with its files` };
  const companions = files.filter((file) => file !== model);
  if (companions.length > 0 && !/\.gltf$/i.test(model.name)) return { problem: `a .glb holds everything it needs: drop ${model.name} alone` };
  if (companions.length > maxModelCompanionFiles) return { problem: `a .gltf may bring at most ${maxModelCompanionFiles} files with it; ${companions.length} were dropped` };
  const empty = files.find((file) => file.size === 0);
  if (empty) return { problem: `${empty.name} is empty` };
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (total > maxModelUploadBytes) return { problem: `${files.length === 1 ? model.name : `${model.name} and its files`} ${files.length === 1 ? 'is' : 'are'} ${formatBytes(total)}; a model uploaded from the view may have up to ${formatBytes(maxModelUploadBytes)}: copy a larger one into the models folder` };
  return { model, companions };
}
