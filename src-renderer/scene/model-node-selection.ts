import { Group, MathUtils, PropertyBinding, type Object3D } from 'three';
import { modelUnitMetres, type Machine, type ModelReference } from '../../src-main/common/plant-schema.ts';

/** The placeholder box's size when the plant file gives no `size` hint: 2 m each way. */
export const defaultPlaceholderSize: [number, number, number] = [2, 2, 2];

/**
 * The machine's shape from its loaded glTF scene, in plant metres with y up, turned and shifted as its model
 * entry says: the template a machine is drawn from (nothing of the loaded scene is changed; geometry and
 * materials are shared with it). Throws, naming the machine, the file and the nodes, when a node is missing.
 *
 * - `node`: that node, moved to the origin (its own rotation and scale kept), as the demo's model library has it;
 * - `nodes`: those nodes where the file has them relative to each other (their parents' transforms baked in);
 * - neither: the whole file, at the file's own origin.
 */
export function machineTemplate(scene: Object3D, machine: Pick<Machine, 'id'> & { model: ModelReference }): Object3D {
  const model = machine.model;
  const content = selectedNodes(scene, machine.id, model);
  // Units and up axis first (about the file's origin), so that rotation and offset are in plant metres.
  const upright = new Group();
  upright.name = 'model-units';
  upright.scale.setScalar(modelScale(model));
  if (model.up === 'z') upright.rotation.x = -Math.PI / 2;
  upright.add(content);
  const placed = new Group();
  placed.name = 'model-placement';
  placed.rotation.y = MathUtils.degToRad(model.rotation);
  if (model.offset) placed.position.set(...model.offset);
  placed.add(upright);
  return placed;
}

/** Metres per unit of the file: `units` or `scale`, else 1 (glTF's own metres). */
export function modelScale(model: Pick<ModelReference, 'units' | 'scale'>): number {
  if (model.units !== undefined) return modelUnitMetres[model.units];
  return model.scale ?? 1;
}

/** The box a machine is drawn as while its model cannot be shown: the plant file's `size` hint, else 2 m. */
export function placeholderPrimitive(machine: Pick<Machine, 'model'>): NonNullable<Machine['primitive']> {
  return { shape: 'box', size: machine.model?.size ?? defaultPlaceholderSize, color: '#8a9099' };
}

/** A copy of the nodes that make the machine, under one group. */
function selectedNodes(scene: Object3D, machineId: string, model: ModelReference): Object3D {
  if (model.node !== undefined) {
    const copy = findNode(scene, machineId, model, model.node).clone(true);
    copy.position.set(0, 0, 0);
    return copy;
  }
  if (model.nodes === undefined) return scene.clone(true);
  scene.updateWorldMatrix(true, true);
  const group = new Group();
  const inverseScene = scene.matrixWorld.clone().invert();
  for (const name of model.nodes) {
    const node = findNode(scene, machineId, model, name);
    const copy = node.clone(true);
    // The node's transform relative to the file's root, so parts keep their places however deep they sit.
    copy.matrix.multiplyMatrices(inverseScene, node.matrixWorld);
    copy.matrix.decompose(copy.position, copy.quaternion, copy.scale);
    group.add(copy);
  }
  return group;
}

/**
 * A node by the name the file gives it: three's loader renames nodes (spaces become "_", some punctuation
 * goes, duplicates get "_1"), and keeps the file's name in `userData.name`, which is what CAD names look like.
 */
export function findNode(scene: Object3D, machineId: string, model: Pick<ModelReference, 'file'>, name: string): Object3D {
  const node = findByFileName(scene, name) ?? scene.getObjectByName(name) ?? scene.getObjectByName(PropertyBinding.sanitizeNodeName(name));
  if (node) return node;
  const known: string[] = [];
  scene.traverse((child) => {
    const shown = fileName(child);
    if (child !== scene && shown !== '' && known.length < 12) known.push(`"${shown}"`);
  });
  throw new Error(`${machineId}: no node "${name}" in ${model.file}${known.length > 0 ? ` (its nodes include ${known.join(', ')})` : ''}`);
}

function findByFileName(scene: Object3D, name: string): Object3D | undefined {
  let found: Object3D | undefined;
  scene.traverse((child) => {
    if (found === undefined && child.userData.name === name) found = child;
  });
  return found;
}

function fileName(object: Object3D): string {
  return typeof object.userData.name === 'string' ? object.userData.name : object.name;
}
