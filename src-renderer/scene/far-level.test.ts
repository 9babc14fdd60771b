import { MeshoptSimplifier } from 'meshoptimizer';
import { BoxGeometry, Color, Group, Mesh, MeshStandardMaterial, SphereGeometry, Vector3 } from 'three';
import { beforeAll, describe, expect, it } from 'vitest';
import { Health } from '../../src-main/common/health.ts';
import { lodMinTriangles, simplifyTriangles } from '../../src-main/common/simplify-triangles.ts';
import { applyHealth } from './apply-health.ts';
import { checkedFarLevels, farLevelInputs, levelDistances, withFarLevels, withFileFarLevel, withSimplifiedFarLevels } from './far-level.ts';
import { simplifyFarLevels } from './simplify-far-levels.ts';
import { InstancedKind, levelHysteresis, updatePoses, type KindPlacement } from './instanced-kind.ts';
import { buildKindModel, type KindModel } from './kind-model.ts';

beforeAll(() => MeshoptSimplifier.ready);

/** A machine of a dense sphere (4,000 triangles) on a base, with a small arm named "arm" that animations move. */
function denseTemplate(segments = 64): Group {
  const template = new Group();
  const body = new Mesh(new SphereGeometry(1.5, segments, segments / 2), new MeshStandardMaterial({ color: '#3366cc' }));
  body.position.y = 1.5;
  const arm = new Mesh(new BoxGeometry(0.2, 1, 0.2), new MeshStandardMaterial({ color: '#cc6633' }));
  arm.name = 'arm';
  arm.position.set(1.6, 2, 0);
  template.add(body, arm);
  return template;
}

function denseModel(): KindModel {
  return withSimplifiedFarLevels(buildKindModel(denseTemplate(), new Set(['arm'])), MeshoptSimplifier);
}

/** Machines of the dense kind in a row along x at the given positions, all in one cell. */
function kindAt(xs: readonly number[], model = denseModel()): InstancedKind {
  const placements: KindPlacement[] = xs.map((x, machineIndex) => ({ machineIndex, position: [x, 0, 0], rotationDegrees: 0, cell: 0 }));
  return new InstancedKind(model, placements, 'dense');
}

/** Triangles of one part (0: static) at a level (0: full). */
const trianglesOf = (model: KindModel, level: number, part = 0) => (level > 0 ? model.farLevels![level - 1]!.parts[part]! : model.parts[part]!.batches).reduce((sum, batch) => sum + batch.geometry.getIndex()!.count / 3, 0);

describe('the far level made at load', () => {
  it('keeps a fraction of the triangles of every part on the same vertices and materials, fewer at each level', () => {
    const model = denseModel();
    expect(model.farLevels).toHaveLength(2);
    expect(trianglesOf(model, 0)).toBeGreaterThan(3_900);
    expect(trianglesOf(model, 1)).toBeLessThan(trianglesOf(model, 0) * 0.3);
    expect(trianglesOf(model, 1)).toBeGreaterThan(20);
    // The far geometry draws from the full one's vertices, so nothing more is uploaded for them.
    expect(trianglesOf(model, 2)).toBeLessThan(trianglesOf(model, 1) * 0.5);
    expect(trianglesOf(model, 2)).toBeGreaterThan(4);
    expect(model.farLevels![0]!.parts[0]![0]!.geometry.getAttribute('position')).toBe(model.parts[0]!.batches[0]!.geometry.getAttribute('position'));
    expect(model.farLevels![1]!.parts[0]![0]!.geometry.getAttribute('position')).toBe(model.parts[0]!.batches[0]!.geometry.getAttribute('position'));
    expect(model.farLevels![0]!.parts[0]![0]!.material).toBe(model.parts[0]!.batches[0]!.material);
    // The arm is a 12-triangle box: too small to simplify, drawn as it is on the far level too.
    expect(model.parts[1]!.node).toBe('arm');
    expect(model.farLevels![0]!.parts[1]![0]).toBe(model.parts[1]!.batches[0]);
    expect(model.farLevels![0]!.triangles).toBe(trianglesOf(model, 1) + 12);
  });

  it('simplifies a dense moving part too, in its own part frame', () => {
    const template = denseTemplate();
    const wheel = new Mesh(new SphereGeometry(0.5, 48, 24), new MeshStandardMaterial({ color: '#999999' }));
    wheel.name = 'wheel';
    wheel.position.set(-2, 0.5, 0);
    template.add(wheel);
    const model = withSimplifiedFarLevels(buildKindModel(template, new Set(['wheel'])), MeshoptSimplifier);
    expect(model.parts[1]!.node).toBe('wheel');
    expect(trianglesOf(model, 1, 1)).toBeLessThan(trianglesOf(model, 0, 1) * 0.3);
    expect(model.farLevels![0]!.parts[1]![0]!.geometry.getAttribute('position')).toBe(model.parts[1]!.batches[0]!.geometry.getAttribute('position'));
  });

  it('gives a model too simple to gain from it no far level', () => {
    const model = withSimplifiedFarLevels(buildKindModel(denseTemplate(4), new Set()), MeshoptSimplifier);
    expect(model.farLevels).toBeUndefined();
    expect(kindAt([0, 5_000], model).levelGroups).toEqual([]);
  });

  it('takes the first far level from a simplified file when it has fewer triangles, and ignores one that has not', () => {
    const full = buildKindModel(denseTemplate(64), new Set(['arm']));
    const fromFile = withFileFarLevel(full, buildKindModel(denseTemplate(8), new Set(['arm'])));
    expect(fromFile.farLevels).toHaveLength(1);
    expect(trianglesOf(fromFile, 1)).toBe(8 * 4 * 2 - 2 * 8);
    expect(trianglesOf(fromFile, 1, 1)).toBe(12);
    expect(withFileFarLevel(full, buildKindModel(denseTemplate(96), new Set(['arm']))).farLevels).toBeUndefined();
    // With the view's own levels, the file's replaces the first, and coarser ones stay after it.
    const simplified = denseModel();
    const both = withFileFarLevel(simplified, buildKindModel(denseTemplate(24), new Set(['arm'])));
    expect(both.farLevels).toHaveLength(2);
    expect(trianglesOf(both, 1)).toBe(24 * 12 * 2 - 2 * 24);
    expect(both.farLevels![1]).toBe(simplified.farLevels![1]);
  });
});

describe('simplifyTriangles', () => {
  const sphere = new SphereGeometry(1, 32, 16);
  const positions = sphere.getAttribute('position').array as Float32Array;
  const indices = Uint32Array.from(sphere.getIndex()!.array);

  it('makes the same levels from lists simplified elsewhere and sent back as the worker sends them', () => {
    const model = buildKindModel(denseTemplate(), new Set(['arm']));
    // The worker gets copies and answers with a structured clone: nothing is shared with the model.
    const answered = structuredClone(simplifyFarLevels(structuredClone(farLevelInputs(model)), MeshoptSimplifier));
    const made = withFarLevels(model, answered);
    const here = withSimplifiedFarLevels(model, MeshoptSimplifier);
    expect(made.farLevels!.map((level) => level.triangles)).toEqual(here.farLevels!.map((level) => level.triangles));
    expect(made.farLevels).toHaveLength(2);
    // The far batches still draw from the model's own vertices.
    expect(made.farLevels![1]!.parts[0]![0]!.geometry.getAttribute('position')).toBe(model.parts[0]!.batches[0]!.geometry.getAttribute('position'));
    // Without levels from the worker (it failed), the model is drawn at full detail.
    expect(withFarLevels(model, []).farLevels).toBeUndefined();
  });

  it('draws nothing from a worker answer that does not fit the model: each fault is named', () => {
    const model = buildKindModel(denseTemplate(), new Set(['arm']));
    const made = simplifyFarLevels(farLevelInputs(model), MeshoptSimplifier);
    expect(checkedFarLevels(model, structuredClone(made))).toHaveLength(2);
    const vertices = model.parts[0]!.batches[0]!.geometry.getAttribute('position').count;
    const withFirst = (list: unknown) => [[list, ...made[0]!.slice(1)]];
    expect(() => checkedFarLevels(model, withFirst(Uint32Array.of(0, 1, vertices)))).toThrow(`with vertex ${vertices}, of ${vertices}`);
    expect(() => checkedFarLevels(model, withFirst(Uint32Array.of(0, 1)))).toThrow('other than whole triangles');
    expect(() => checkedFarLevels(model, withFirst([0, 1, 2]))).toThrow('other than whole triangles');
    expect(() => checkedFarLevels(model, [made[0]!.slice(1)])).toThrow(`lists for ${made[0]!.length} batches`);
    expect(() => checkedFarLevels(model, [...made, ...made])).toThrow('4 levels');
    expect(() => checkedFarLevels(model, { levels: made })).toThrow('no list of levels');
    expect(() => checkedFarLevels(model, [undefined])).toThrow('level 1 with no lists');
  });

  it('refuses what is not a triangle list over its positions, before the simplifier sees it', () => {
    expect(() => simplifyTriangles(MeshoptSimplifier, positions, Uint32Array.of(0, 1), 0.5)).toThrow('whole triangles');
    expect(() => simplifyTriangles(MeshoptSimplifier, positions, Uint32Array.of(0, 1, positions.length / 3), 0.5)).toThrow(`names vertex ${positions.length / 3}`);
    expect(() => simplifyTriangles(MeshoptSimplifier, positions.subarray(1), indices, 0.5)).toThrow('xyz per vertex');
    for (const ratio of [0, -1, 1.5, Number.NaN]) expect(() => simplifyTriangles(MeshoptSimplifier, positions, indices, ratio)).toThrow('between 0 and 1');
  });

  it('keeps a mesh too small to gain from simplifying, and simplifies a larger one towards the ratio', () => {
    const small = indices.subarray(0, (lodMinTriangles - 1) * 3);
    expect(simplifyTriangles(MeshoptSimplifier, positions, small, 0.1)).toBe(small);
    const simplified = simplifyTriangles(MeshoptSimplifier, positions, indices, 0.25, 0.05);
    expect(simplified.length / 3).toBeLessThan((indices.length / 3) * 0.4);
    expect(simplified.length % 3).toBe(0);
  });
});

describe('machines between levels', () => {
  it('draws machines far from the camera from coarser batches without shadows, and near ones in full with shadows', () => {
    const kind = kindAt([0, 400, 4_000]);
    const [near, far, farthest] = kind.instances;
    expect(kind.levelDistances[0]).toBeLessThan(300);
    expect(kind.levelDistances[1]).toBeLessThan(1_000);
    expect(kind.updateLevels(new Vector3(0, 20, 30))).toBe(2);
    expect([near, far, farthest].map((instance) => instance!.layer.level)).toEqual([0, 1, 2]);
    const layers = [...kind.cells.get(0)!.layers, ...kind.farLayers];
    expect(layers.map((layer) => layer.count)).toEqual([1, 0, 1, 0, 1, 0]);
    for (const layer of layers) {
      for (const mesh of layer.meshes) expect(mesh.castShadow, mesh.name).toBe(layer.level === 0);
      // The static part is the first mesh of a layer: simplified more at each level.
      expect(layer.meshes[0]!.geometry.getIndex()!.count / 3).toBe(trianglesOf(kind.model, layer.level));
    }
    // Near and far, the machine stands where it was placed.
    expect(new Vector3().fromArray(far!.layer.partMatrices[0]!.array, far!.slot * 16 + 12).x).toBe(400);
    expect(new Vector3().fromArray(farthest!.layer.partMatrices[0]!.array, farthest!.slot * 16 + 12).x).toBe(4_000);
    expect(new Vector3().fromArray(near!.layer.partMatrices[0]!.array, near!.slot * 16 + 12).x).toBe(0);
  });

  it('keeps health and animated parts right on both levels and across a change of level', () => {
    const kind = kindAt([0, 10, 20]);
    const handles = kind.instances.map((instance) => ({ machineIndex: instance.machineIndex, bounds: instance.bounds, instance, properties: [], spins: [], appliedHealth: -1 }));
    applyHealth(handles[0]!, Health.alarm);
    applyHealth(handles[1]!, Health.stale);
    applyHealth(handles[2]!, Health.ok);
    const arm = kind.instances[0]!.poses[1]!;
    arm.position.y = 3;
    arm.changed = true;
    updatePoses(kind.instances[0]!);
    const look = (index: number) => {
      const { layer, slot } = kind.instances[index]!;
      return { seeThrough: layer.seeThrough, tint: Array.from(layer.tint.array.slice(slot * 4, slot * 4 + 4)), opacity: layer.opacity.array[slot], armY: layer.partMatrices[1]!.array[slot * 16 + 13] };
    };
    const nearLooks = [0, 1, 2].map(look);
    expect(kind.updateLevels(new Vector3(10, 5_000, 0))).toBe(1);
    expect(kind.instances.every((instance) => instance.layer.level === 2)).toBe(true);
    expect([0, 1, 2].map(look)).toEqual(nearLooks);
    expect(nearLooks[1]!.seeThrough).toBe(true);
    expect(nearLooks[0]!.armY).toBe(3);
    // A health change while far stays far, and is drawn there.
    applyHealth(handles[1]!, Health.ok);
    expect(kind.instances[1]!.layer.level).toBe(2);
    expect(kind.instances[1]!.layer.seeThrough).toBe(false);
    expect(new Color().fromArray(Array.from(kind.instances[0]!.layer.tint.array.slice(kind.instances[0]!.slot * 4, kind.instances[0]!.slot * 4 + 3))).getHex()).toBe(new Color().fromArray(nearLooks[0]!.tint).getHex());
    expect(kind.updateLevels(new Vector3(10, 20, 30))).toBe(1);
    expect(kind.instances.every((instance) => instance.layer.level === 0)).toBe(true);
    expect(look(0)).toEqual(nearLooks[0]);
  });

  it('draws far machines of every cell with one set of meshes, and near ones cell by cell', () => {
    const model = denseModel();
    // Four cells 2 km apart along x, two machines in each.
    const placements: KindPlacement[] = [0, 1, 2, 3].flatMap((cell) => [0, 5].map((offset) => ({ machineIndex: cell * 2 + offset / 5, position: [cell * 2_000 + offset, 0, 0] as [number, number, number], rotationDegrees: 0, cell })));
    const kind = new InstancedKind(model, placements, 'cells');
    const drawn = () => kind.root.children.filter((mesh) => mesh.visible).length;
    const batchesAt = (level: number) => (level === 0 ? model.parts.flatMap((part) => part.batches) : model.farLevels![level - 1]!.parts.flat()).length;
    // Near: every cell draws its own batches, so a camera among one cell's machines can cull the others.
    expect(drawn()).toBe(4 * batchesAt(0));
    // From far above, all eight are at the coarsest level: one draw per batch for the whole kind.
    kind.updateLevels(new Vector3(3_000, 100_000, 0));
    expect(kind.instances.every((instance) => instance.level === 2)).toBe(true);
    expect(drawn()).toBe(batchesAt(2));
    const [farSolid] = kind.farLayers.filter((layer) => layer.level === 2 && !layer.seeThrough);
    expect(farSolid!.count).toBe(8);
    // Each machine still stands where it was placed.
    for (const instance of kind.instances) expect(new Vector3().fromArray(instance.layer.partMatrices[0]!.array, instance.slot * 16 + 12).x).toBe(placements[instance.machineIndex]!.position[0]);
    // Its cull sphere holds every cell.
    for (const mesh of farSolid!.meshes) for (const placement of placements) expect(mesh.boundingSphere!.containsPoint(new Vector3(...placement.position))).toBe(true);
  });

  it('brings each machine back to its own cell when it comes near, whatever its health did while far', () => {
    // Three cells 50 m apart, three machines in each: far, they share the kind's layers.
    const placements: KindPlacement[] = [0, 1, 2].flatMap((cell) => [0, 5, 10].map((offset, index) => ({ machineIndex: cell * 3 + index, position: [cell * 50 + offset, 0, 0] as [number, number, number], rotationDegrees: 0, cell })));
    const kind = new InstancedKind(denseModel(), placements, 'cells');
    const handles = kind.instances.map((instance) => ({ machineIndex: instance.machineIndex, bounds: instance.bounds, instance, properties: [], spins: [], appliedHealth: -1 }));
    const allLayers = () => [...[...kind.cells.values()].flatMap((cell) => cell.layers), ...kind.farLayers];
    /** Every slot holds the machine that thinks it is there, and no layer counts a machine twice or loses one. */
    const consistent = () => {
      for (const instance of kind.instances) expect(instance.layer.instances[instance.slot]).toBe(instance);
      expect(allLayers().reduce((sum, layer) => sum + layer.count, 0)).toBe(placements.length);
      for (const layer of allLayers()) for (let slot = 0; slot < layer.count; slot++) expect(layer.instances[slot]!.layer).toBe(layer);
    };
    kind.updateLevels(new Vector3(50, 100_000, 0));
    expect(kind.instances.every((instance) => instance.level === 2)).toBe(true);
    // While far, machines of every cell turn see-through and back in an order that moves others' slots.
    for (const index of [0, 4, 8, 3]) applyHealth(handles[index]!, Health.stale);
    applyHealth(handles[4]!, Health.ok);
    consistent();
    kind.updateLevels(new Vector3(50, 20, 30));
    for (const instance of kind.instances) {
      expect(instance.level).toBe(0);
      expect(instance.layer).toBe(instance.cell.layers[[0, 8, 3].includes(instance.machineIndex) ? 1 : 0]);
      expect(new Vector3().fromArray(instance.layer.partMatrices[0]!.array, instance.slot * 16 + 12).x).toBe(placements[instance.machineIndex]!.position[0]);
    }
    consistent();
  });

  it('does not flicker at the boundary: a group changes level only once past it by the hysteresis band', () => {
    const kind = kindAt([0]);
    const distance = kind.levelDistances[0]!;
    expect(kind.levelDistances).toEqual(levelDistances(kind.model));
    const [instance] = kind.instances;
    // The group's bounds end at about 1.6 m from the machine's centre along x; the camera stands out along x.
    const edge = kind.levelGroups[0]!.bounds.max.x;
    const at = (beyond: number) => new Vector3(edge + beyond, kind.levelGroups[0]!.bounds.min.y, 0);
    kind.updateLevels(at(distance * (1 + levelHysteresis / 2)));
    expect(instance!.level).toBe(0);
    kind.updateLevels(at(distance * (1 + levelHysteresis * 1.5)));
    expect(instance!.level).toBe(1);
    kind.updateLevels(at(distance * (1 - levelHysteresis / 2)));
    expect(instance!.level).toBe(1);
    kind.updateLevels(at(distance * (1 - levelHysteresis * 1.5)));
    expect(instance!.level).toBe(0);
  });
});
