import type { Plant } from './plant-schema.ts';

/**
 * A model file name as the plant gives it, made a plain relative path with "/" between folders; undefined
 * for a name that would reach outside the models folder (a ".." step, an absolute path, a drive, a NUL).
 */
export function normaliseModelFile(file: string): string | undefined {
  if (file.includes('\0') || /^[A-Za-z]:/.test(file) || file.startsWith('/') || file.startsWith('\\')) return undefined;
  const steps = file.split(/[/\\]/).filter((step) => step !== '' && step !== '.');
  if (steps.length === 0 || steps.includes('..')) return undefined;
  return steps.join('/');
}

/**
 * The model files the plant names (each machine's `model.file` and `model.lod`), normalised and relative to its models
 * folder: the only files under /models a server may hand out.
 */
export function plantModelFiles(plant: Plant): Set<string> {
  const files = new Set<string>();
  for (const machine of plant.machines) {
    for (const name of [machine.model?.file, machine.model?.lod]) {
      const file = name === undefined ? undefined : normaliseModelFile(name);
      if (file !== undefined) files.add(file);
    }
  }
  return files;
}
