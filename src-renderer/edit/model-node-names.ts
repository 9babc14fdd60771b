import type { Object3D } from 'three';

/** Most node names offered for one model file. */
export const maxNodeNames = 200;

/**
 * A node's name as the file gives it (three's loader renames nodes, "Teil 2" to "Teil_2", and keeps the
 * file's name in `userData.name`): the name a plant file uses for `node` and animations.
 */
export function fileNodeName(node: Object3D): string {
  return typeof node.userData.name === 'string' ? node.userData.name : node.name;
}

/**
 * The names a machine's `model.node` can take from a loaded glTF scene: every named node, in the file's
 * order, each once, at most `maxNodeNames`. The scene root (which the loader names itself) is left out.
 */
export function modelNodeNames(scene: Object3D): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  const visit = (node: Object3D) => {
    for (const child of node.children) {
      if (names.length >= maxNodeNames) return;
      const name = fileNodeName(child);
      if (name !== '' && !seen.has(name)) {
        seen.add(name);
        names.push(name);
      }
      visit(child);
    }
  };
  visit(scene);
  return names;
}

/** A machine name from a model file's name: "robot-arm_2.glb" → "Robot arm 2". */
export function machineNameOf(file: string): string {
  const base = (file.split('/').pop() ?? file).replace(/\.(glb|gltf)$/i, '').replace(/[-_.]+/g, ' ').trim();
  return base === '' ? 'Machine' : base.charAt(0).toUpperCase() + base.slice(1);
}
