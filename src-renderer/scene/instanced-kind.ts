import { Box3, BufferGeometry, Group, InstancedBufferAttribute, InstancedMesh, Matrix4, type Object3D, Quaternion, Sphere, Vector3 } from 'three';
import { levelDistances } from './far-level.ts';
import { healthGlowSize, healthTintSize } from './health-material.ts';
import type { KindModel } from './kind-model.ts';
import type { PartPose } from './machine-registry.ts';
import { markShadowMotion, markShadowStructureChanged } from './shadow-refresh.ts';

/** Where one machine of a kind is drawn: its spatial cell, its layer (solid or see-through, at a level of detail) and its slot there. */
export interface MachineInstance {
  readonly machineIndex: number;
  readonly kind: InstancedKind;
  readonly cell: KindCell;
  layer: InstanceLayer;
  slot: number;
  /** Its level of detail: 0 full, 1… coarser (its level group's, from the distance to the camera). */
  level: number;
  /** The machines it changes level with, or null when its kind has no far levels. */
  levelGroup: LevelGroup | null;
  /** The frame its parts last moved at the first far level (see `AnimationCulling`), or −1. */
  movedFrame: number;
  /** The pose of each part (index 0, the static part, never moves). */
  readonly poses: PartPose[];
  /** Bounds at rest in the plant. */
  readonly bounds: Box3;
}

/** Where a kind's machine stands: its index in the plant, its place and turn, and its spatial cell. */
export interface KindPlacement {
  machineIndex: number;
  position: readonly [number, number, number];
  rotationDegrees: number;
  cell: number;
}

/**
 * Machines of one kind drawn one way (solid or see-through, at one level of detail) — those of one cell
 * at full detail, all of the kind's at a coarser level: one `InstancedMesh` per batch of the kind at that
 * level, all sharing this layer's slots. Per-slot data: each part's matrix, and the health tint, glow
 * and opacity, in attributes shared by all the layer's meshes.
 */
export class InstanceLayer {
  count = 0;
  readonly instances: Array<MachineInstance | undefined>;
  readonly tint: InstancedBufferAttribute;
  readonly glow: InstancedBufferAttribute;
  readonly opacity: InstancedBufferAttribute;
  readonly partMatrices: InstancedBufferAttribute[];
  readonly meshes: InstancedMesh[] = [];
  readonly seeThrough: boolean;
  readonly level: number;

  constructor(seeThrough: boolean, level: number, capacity: number, partCount: number) {
    this.seeThrough = seeThrough;
    this.level = level;
    this.instances = new Array<MachineInstance | undefined>(capacity).fill(undefined);
    this.tint = new InstancedBufferAttribute(new Float32Array(capacity * healthTintSize), healthTintSize);
    this.glow = new InstancedBufferAttribute(new Float32Array(capacity * healthGlowSize), healthGlowSize);
    this.opacity = new InstancedBufferAttribute(new Float32Array(capacity).fill(1), 1);
    this.partMatrices = Array.from({ length: partCount }, () => new InstancedBufferAttribute(new Float32Array(capacity * 16), 16));
  }

  /** Draws exactly the occupied slots; an empty layer issues no draw call at all. */
  syncCount(): void {
    for (const mesh of this.meshes) {
      mesh.count = this.count;
      mesh.visible = this.count > 0;
    }
  }
}

/**
 * A kind's machines in one spatial cell: a solid and a see-through layer at full detail, culled together
 * by one sphere (which also decides whether the cell's machines are animated, see `AnimationCulling`).
 */
export class KindCell {
  /** Solid, then see-through. */
  readonly layers: [InstanceLayer, InstanceLayer];
  readonly sphere: Sphere;
  /** The frame whose view `inView` was tested for (see `AnimationCulling`), so each cell is tested once a frame. */
  viewFrame = -1;
  /** Whether the cell's sphere was in the camera's view at `viewFrame`. */
  inView = true;

  constructor(capacity: number, partCount: number, sphere: Sphere) {
    this.sphere = sphere;
    this.layers = [new InstanceLayer(false, 0, capacity, partCount), new InstanceLayer(true, 0, capacity, partCount)];
  }
}

/** The layer a machine is drawn in at its level (`instance.level`): its cell's at full detail, its kind's at a coarser level. */
export function layerOf(instance: MachineInstance, seeThrough: boolean): InstanceLayer {
  const way = seeThrough ? 1 : 0;
  return instance.level === 0 ? instance.cell.layers[way] : instance.kind.farLayers[(instance.level - 1) * 2 + way]!;
}

/**
 * Machines of a kind that change level together: those standing in one square of `levelGroupSize`
 * metres. Deciding per group (nearest point of its bounds to the camera) keeps the per-frame work to a
 * few hundred distance checks at 10,000 machines, and never draws a machine near the camera coarse.
 */
export class LevelGroup {
  readonly bounds = new Box3();
  readonly members: MachineInstance[] = [];
  level = 0;
}

/** Side of a level group's square, in metres. */
export const levelGroupSize = 40;
/**
 * Hysteresis: a group goes to a coarser level beyond that level's distance × (1 + this), and comes back
 * inside it × (1 − this), so a camera resting at a boundary never makes it flicker.
 */
export const levelHysteresis = 0.15;

const scratchMatrix = new Matrix4();
const scratchParent = new Matrix4();
const scratchQuaternion = new Quaternion();
const zeroScale = new Vector3(0, 0, 0);
const up = new Vector3(0, 1, 0);
const scratchCenter = new Vector3();
let movedParts = new Uint8Array(16);

/**
 * Every machine of one model kind, drawn as instances: per layer, one `InstancedMesh` per batch (static
 * parts merged per look, and each animated part's own). At full detail each spatial cell has its own
 * layers, so the camera down among a large site's machines draws only the cells it sees; the coarser
 * levels are drawn kind-wide, one set of layers for all cells: there each machine is a few cheap
 * triangles, while a draw per cell would multiply the draw calls of a site seen whole. Draw calls grow
 * with kinds, batches and (at full detail) cells, never with machines.
 */
export class InstancedKind {
  readonly root = new Group();
  readonly instances: MachineInstance[] = [];
  readonly cells = new Map<number, KindCell>();
  /** The kind-wide layers of the coarser levels: solid and see-through for level 1, then for level 2, … */
  readonly farLayers: InstanceLayer[] = [];
  readonly model: KindModel;
  /** Groups of machines that change level together; empty when the kind has no far level. */
  readonly levelGroups: LevelGroup[] = [];
  /** Distance beyond which machines are drawn at each coarser level (index 0: level 1), before hysteresis. */
  readonly levelDistances: number[];
  private readonly geometries: BufferGeometry[] = [];
  private readonly checkedFrom = new Vector3(Infinity, Infinity, Infinity);

  constructor(model: KindModel, placements: readonly KindPlacement[], name: string) {
    this.model = model;
    this.levelDistances = levelDistances(model);
    this.root.name = `kind:${name}`;
    const partCount = model.parts.length;
    if (movedParts.length < partCount) movedParts = new Uint8Array(partCount);
    const byCell = new Map<number, KindPlacement[]>();
    for (const placement of placements) {
      const members = byCell.get(placement.cell);
      if (members) members.push(placement);
      else byCell.set(placement.cell, [placement]);
    }
    const boundsSize = model.bounds.getSize(new Vector3());
    // Moving parts may swing beyond the rest bounds: the cull sphere gets half a machine to spare.
    const margin = boundsSize.length() / 2;
    const kindBounds = new Box3();
    for (const [cellIndex, members] of byCell) {
      const placed = members.map((placement) => ({ placement, matrix: placementMatrix(placement), bounds: new Box3() }));
      const cellBounds = new Box3();
      for (const entry of placed) cellBounds.union(entry.bounds.copy(model.bounds).applyMatrix4(entry.matrix));
      kindBounds.union(cellBounds);
      const sphere = cellBounds.getBoundingSphere(new Sphere());
      sphere.radius += margin;
      const cell = new KindCell(members.length, partCount, sphere);
      this.cells.set(cellIndex, cell);
      for (const layer of cell.layers) this.addMeshes(layer, sphere);
      const solid = cell.layers[0];
      for (const { placement, matrix, bounds } of placed) {
        const poses = model.parts.map((part) => ({ position: part.restPosition.clone(), rotation: part.restRotation.clone(), scale: part.restScale.clone(), visible: true, changed: true }));
        const instance: MachineInstance = { machineIndex: placement.machineIndex, kind: this, cell, layer: solid, slot: solid.count, level: 0, levelGroup: null, movedFrame: -1, poses, bounds };
        solid.instances[solid.count++] = instance;
        matrix.toArray(solid.partMatrices[0]!.array, instance.slot * 16);
        updatePoses(instance);
        this.instances.push(instance);
      }
      for (const layer of cell.layers) layer.syncCount();
    }
    const kindSphere = kindBounds.getBoundingSphere(new Sphere());
    kindSphere.radius += margin;
    for (let level = 1; level <= (model.farLevels?.length ?? 0); level++) {
      for (const seeThrough of [false, true]) {
        const layer = new InstanceLayer(seeThrough, level, placements.length, partCount);
        this.addMeshes(layer, kindSphere);
        layer.syncCount();
        this.farLayers.push(layer);
      }
    }
    if (model.farLevels?.length) this.groupLevels();
    markShadowStructureChanged();
  }

  private groupLevels(): void {
    const groups = new Map<string, LevelGroup>();
    for (const instance of this.instances) {
      instance.bounds.getCenter(scratchCenter);
      const key = `${Math.floor(scratchCenter.x / levelGroupSize)},${Math.floor(scratchCenter.z / levelGroupSize)}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = new LevelGroup()));
      group.members.push(instance);
      group.bounds.union(instance.bounds);
      instance.levelGroup = group;
    }
    this.levelGroups.push(...groups.values());
  }

  /**
   * Moves each level group that crossed a boundary (with hysteresis) to its new level, seen from
   * `camera`. Skips the check while the camera has moved less than 1 % of the first level's distance
   * since the last one; allocates nothing. Returns how many groups changed level.
   */
  updateLevels(camera: Vector3): number {
    const distances = this.levelDistances;
    if (this.levelGroups.length === 0 || camera.distanceToSquared(this.checkedFrom) < (distances[0]! * 0.01) ** 2) return 0;
    this.checkedFrom.copy(camera);
    let changed = 0;
    // Index loops: no iterator objects in the frame loop.
    for (let groupIndex = 0; groupIndex < this.levelGroups.length; groupIndex++) {
      const group = this.levelGroups[groupIndex]!;
      const distance = group.bounds.distanceToPoint(camera);
      let level = group.level;
      while (level < distances.length && distance > distances[level]! * (1 + levelHysteresis)) level++;
      while (level > 0 && distance < distances[level - 1]! * (1 - levelHysteresis)) level--;
      if (level === group.level) continue;
      group.level = level;
      changed++;
      for (let member = 0; member < group.members.length; member++) {
        const instance = group.members[member]!;
        instance.level = level;
        moveToLayer(instance, instance.layer.seeThrough);
      }
    }
    return changed;
  }

  private addMeshes(layer: InstanceLayer, sphere: Sphere): void {
    this.model.parts.forEach((part, partIndex) => {
      // Each part's coarser batches are in the same part frame as its full ones, so moving parts move the same on every level.
      const batches = layer.level === 0 ? part.batches : this.model.farLevels![layer.level - 1]!.parts[partIndex]!;
      for (const batch of batches) {
        const geometry = new BufferGeometry();
        // Vertex data is shared with every cell and layer (uploaded once); the per-instance attributes are this layer's.
        geometry.setIndex(batch.geometry.getIndex());
        for (const [name, attribute] of Object.entries(batch.geometry.attributes)) geometry.setAttribute(name, attribute);
        geometry.setAttribute('healthTint', layer.tint);
        geometry.setAttribute('healthGlow', layer.glow);
        geometry.setAttribute('healthOpacity', layer.opacity);
        geometry.boundingBox = batch.geometry.boundingBox;
        geometry.boundingSphere = batch.geometry.boundingSphere;
        this.geometries.push(geometry);
        const mesh = new InstancedMesh(geometry, layer.seeThrough ? batch.seeThroughMaterial : batch.material, 0);
        mesh.instanceMatrix = layer.partMatrices[partIndex]!;
        mesh.boundingSphere = sphere;
        // The mesh itself never moves (its instances carry the placement): three need not recompute its world matrix every frame.
        mesh.matrixAutoUpdate = false;
        mesh.matrixWorldAutoUpdate = false;
        // Far machines cast no shadow: at that distance it is a few pixels, and the shadow pass would draw them all again.
        mesh.castShadow = layer.level === 0;
        mesh.receiveShadow = true;
        mesh.userData.twinlineLayer = layer;
        mesh.name = `${this.root.name}/${part.node || 'static'}${layer.level > 0 ? ` (level ${layer.level})` : ''}`;
        layer.meshes.push(mesh);
        this.root.add(mesh);
      }
    });
  }

  /** Frees what this kind put on the GPU (the model's merged geometry and materials stay with the model). */
  dispose(): void {
    for (const geometry of this.geometries) geometry.dispose();
  }
}

/** The machine's placement: its position, turned about the vertical axis. */
function placementMatrix(placement: KindPlacement): Matrix4 {
  const rotation = new Quaternion().setFromAxisAngle(up, (placement.rotationDegrees * Math.PI) / 180);
  return new Matrix4().compose(new Vector3(...placement.position), rotation, new Vector3(1, 1, 1));
}

/**
 * Rewrites the matrices of the machine's parts whose pose changed (and of the parts riding on them), and
 * marks only those attributes for upload. Allocates nothing.
 */
export function updatePoses(instance: MachineInstance): void {
  const parts = instance.kind.model.parts;
  const layer = instance.layer;
  const offset = instance.slot * 16;
  movedParts[0] = 0;
  for (let index = 1; index < parts.length; index++) {
    const part = parts[index]!;
    const pose = instance.poses[index]!;
    const moved = pose.changed || movedParts[part.parent] === 1;
    movedParts[index] = moved ? 1 : 0;
    if (!moved) continue;
    pose.changed = false;
    scratchQuaternion.setFromEuler(pose.rotation);
    scratchMatrix.compose(pose.position, scratchQuaternion, pose.visible ? pose.scale : zeroScale);
    scratchParent.fromArray(layer.partMatrices[part.parent]!.array, offset).multiply(part.offset).multiply(scratchMatrix);
    const target = layer.partMatrices[index]!;
    scratchParent.toArray(target.array, offset);
    target.needsUpdate = true;
    // Only the nearest level casts shadows.
    if (layer.level === 0) markShadowMotion();
  }
}

/**
 * Moves a machine to its solid or see-through layer at its level (`instance.level`, see `layerOf`),
 * keeping its matrices and health; the slot it leaves is filled by that layer's last.
 */
export function moveToLayer(instance: MachineInstance, seeThrough: boolean): void {
  const from = instance.layer;
  const to = layerOf(instance, seeThrough);
  if (from === to) return;
  const fromSlot = instance.slot;
  const slot = to.count++;
  copySlot(from, fromSlot, to, slot);
  to.instances[slot] = instance;
  instance.layer = to;
  instance.slot = slot;
  const last = --from.count;
  if (fromSlot !== last) {
    const moved = from.instances[last]!;
    copySlot(from, last, from, fromSlot);
    from.instances[fromSlot] = moved;
    moved.slot = fromSlot;
  }
  from.instances[last] = undefined;
  from.syncCount();
  to.syncCount();
  markShadowStructureChanged();
}

function copySlot(from: InstanceLayer, fromSlot: number, to: InstanceLayer, toSlot: number): void {
  copyItem(from.tint, fromSlot, to.tint, toSlot);
  copyItem(from.glow, fromSlot, to.glow, toSlot);
  copyItem(from.opacity, fromSlot, to.opacity, toSlot);
  for (let part = 0; part < from.partMatrices.length; part++) copyItem(from.partMatrices[part]!, fromSlot, to.partMatrices[part]!, toSlot);
}

function copyItem(from: InstancedBufferAttribute, fromSlot: number, to: InstancedBufferAttribute, toSlot: number): void {
  const size = from.itemSize;
  for (let component = 0; component < size; component++) to.array[toSlot * size + component] = from.array[fromSlot * size + component]!;
  to.needsUpdate = true;
}

/** The machine index drawn at `instanceId` of a mesh a pointer hit, or undefined when the mesh is not a machine's. */
export function machineAt(object: Object3D, instanceId: number | undefined): number | undefined {
  const layer = object.userData.twinlineLayer as InstanceLayer | undefined;
  if (!layer || instanceId === undefined || instanceId >= layer.count) return undefined;
  return layer.instances[instanceId]?.machineIndex;
}
