import { Group, MathUtils, Raycaster, Vector2, type Object3D } from 'three';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { loadModel } from '../scene/model-loader.ts';
import { machineTemplate } from '../scene/model-node-selection.ts';
import { sceneAccessForTools } from './edit-scene.ts';
import { fileNodeName } from './model-node-names.ts';

/** Groups the view puts around a model's own nodes: never a part to animate. */
const wrapperNames = new Set(['model-placement', 'model-units']);

/**
 * The part of a model a hit belongs to: the hit object or its nearest ancestor with a name of the
 * file's own (an unnamed mesh is part of its named node), below the view's wrappers; undefined when none.
 */
export function namedPartOf(hit: Object3D): string | undefined {
  for (let node: Object3D | null = hit; node; node = node.parent) {
    if (wrapperNames.has(node.name)) return undefined;
    const name = fileNodeName(node);
    if (name !== '') return name;
  }
  return undefined;
}

/**
 * The part of a machine's model under a point of the window, by the file's node names: the model is
 * placed as the machine is drawn (its template at the machine's place and turn) and hit with the
 * camera's ray through that point. Undefined when the point misses the machine or it has no model.
 */
export async function partAtScreen(clientX: number, clientY: number, machine: Machine, modelsBaseUrl: string): Promise<string | undefined> {
  const access = sceneAccessForTools();
  if (!access || !machine.model) return undefined;
  const gltf = await loadModel(`${modelsBaseUrl}${machine.model.file}`, access.renderer);
  const holder = new Group();
  holder.position.set(...machine.position);
  holder.rotation.y = MathUtils.degToRad(machine.rotation);
  holder.add(machineTemplate(gltf.scene, { id: machine.id, model: machine.model }));
  holder.updateMatrixWorld(true);
  const rectangle = access.canvas.getBoundingClientRect();
  const raycaster = new Raycaster();
  raycaster.setFromCamera(new Vector2(((clientX - rectangle.left) / rectangle.width) * 2 - 1, -((clientY - rectangle.top) / rectangle.height) * 2 + 1), access.camera);
  for (const hit of raycaster.intersectObject(holder, true)) {
    const part = namedPartOf(hit.object);
    if (part !== undefined) return part;
  }
  return undefined;
}
