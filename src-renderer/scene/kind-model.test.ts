import { readFileSync } from 'node:fs';
import { Box3, Euler, Matrix4, type Object3D, Quaternion, Vector3 } from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { describe, expect, it } from 'vitest';
import { InstancedKind, updatePoses } from './instanced-kind.ts';
import { buildKindModel } from './kind-model.ts';

/** A demo model file as the scene gets it: the named node, moved to the origin. */
async function demoTemplate(file: string, node: string): Promise<Object3D> {
  const bytes = readFileSync(new URL(`../../models/${file}`, import.meta.url));
  const gltf = await new GLTFLoader().parseAsync(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), '');
  const template = gltf.scene.getObjectByName(node)!.clone(true);
  template.position.set(0, 0, 0);
  return template;
}

function trianglesOf(object: Object3D): number {
  let triangles = 0;
  object.traverse((child) => {
    const geometry = (child as { geometry?: { index: { count: number } | null; attributes: { position: { count: number } } } }).geometry;
    if (geometry) triangles += (geometry.index?.count ?? geometry.attributes.position.count) / 3;
  });
  return triangles;
}

describe('buildKindModel', () => {
  it('merges a demo model\'s static meshes into one draw and keeps each animated node a part of its own', async () => {
    const template = await demoTemplate('furnace.glb', 'furnace');
    const model = buildKindModel(template, new Set(['electrodes', 'no-such-node']));
    expect(model.parts.map((part) => part.node)).toEqual(['', 'electrodes']);
    // Nine plain materials of different colours and finishes: one batch with them per vertex.
    expect(model.parts[0]!.batches).toHaveLength(1);
    expect(model.parts[0]!.batches[0]!.geometry.getAttribute('surface')).toBeDefined();
    expect(model.parts[1]!.batches).toHaveLength(1);
    // Nothing lost or added: the triangles and the bounds are the model's own.
    expect(model.triangles).toBe(trianglesOf(template));
    const bounds = new Box3().setFromObject(template);
    expect(model.bounds.min.distanceTo(bounds.min)).toBeLessThan(1e-6);
    expect(model.bounds.max.distanceTo(bounds.max)).toBeLessThan(1e-6);
  });

  it('draws the plain parts of every kind with the same two materials, so three sets their uniforms once for all of them', async () => {
    const furnace = buildKindModel(await demoTemplate('furnace.glb', 'furnace'), new Set(['electrodes']));
    const robot = buildKindModel(await demoTemplate('robot.glb', 'robot'), new Set(['turret']));
    const [furnaceStatic, robotStatic] = [furnace.parts[0]!.batches[0]!, robot.parts[0]!.batches[0]!];
    expect(robotStatic.material).toBe(furnaceStatic.material);
    expect(robotStatic.seeThroughMaterial).toBe(furnaceStatic.seeThroughMaterial);
    expect(furnace.parts[1]!.batches[0]!.material).toBe(furnaceStatic.material);
    expect(furnaceStatic.seeThroughMaterial).not.toBe(furnaceStatic.material);
    expect(furnaceStatic.seeThroughMaterial.transparent).toBe(true);
    expect(furnaceStatic.material.transparent).toBe(false);
  });

  it('keeps a translucent material (a sight glass) in a batch of its own', async () => {
    const model = buildKindModel(await demoTemplate('tank.glb', 'tank'), new Set(['level-indicator']));
    const staticBatches = model.parts[0]!.batches;
    expect(staticBatches).toHaveLength(2);
    expect(staticBatches.filter((batch) => batch.material.transparent)).toHaveLength(1);
  });
});

describe('updatePoses', () => {
  it('draws nested moving parts where the scene graph would put them, and rewrites only what moved', async () => {
    const template = await demoTemplate('robot.glb', 'robot');
    const model = buildKindModel(template, new Set(['turret', 'upper-arm']));
    expect(model.parts.map((part) => part.node)).toEqual(['', 'turret', 'upper-arm']);
    const kind = new InstancedKind(model, [{ machineIndex: 0, position: [5, 0, -3], rotationDegrees: 90, cell: 0 }], 'robot');
    const instance = kind.instances[0]!;
    const [, turret, upperArm] = instance.poses;
    turret!.rotation.y = 0.7;
    turret!.changed = true;
    upperArm!.rotation.z = -0.4;
    upperArm!.changed = true;
    updatePoses(instance);

    // The same poses on the object graph, placed as the machine is.
    const placed = template.clone(true);
    placed.getObjectByName('turret')!.rotation.y = 0.7;
    placed.getObjectByName('upper-arm')!.rotation.z = -0.4;
    const machine = new Matrix4().compose(new Vector3(5, 0, -3), new Quaternion().setFromEuler(new Euler(0, Math.PI / 2, 0)), new Vector3(1, 1, 1));
    placed.updateMatrixWorld(true);
    const expected = machine.clone().multiply(placed.getObjectByName('upper-arm')!.matrixWorld);
    const drawn = new Matrix4().fromArray(instance.layer.partMatrices[2]!.array, instance.slot * 16);
    for (let index = 0; index < 16; index++) expect(drawn.elements[index]).toBeCloseTo(expected.elements[index]!, 5);

    // A still frame uploads nothing; moving the turret redraws the arm riding on it too.
    const versions = () => instance.layer.partMatrices.map((attribute) => attribute.version);
    const before = versions();
    updatePoses(instance);
    expect(versions()).toEqual(before);
    turret!.rotation.y = 0.2;
    turret!.changed = true;
    updatePoses(instance);
    expect(versions()).toEqual([before[0], before[1]! + 1, before[2]! + 1]);
  });
});
