import { BufferAttribute, BufferGeometry, Vector3 } from 'three';
import { MeshoptSimplifier } from 'meshoptimizer';
import { simplifyTriangles, type TriangleSimplifier } from '../../src-main/common/simplify-triangles.ts';
import { reportProblem } from '../state/view-store.ts';
import type { KindBatch, KindLevel, KindModel } from './kind-model.ts';

/** How one far level is made and where it starts. */
export interface FarLevelSetting {
  /** Share of each part's triangles it keeps … */
  ratio: number;
  /** … where the shape allows within this share of the part's extent. */
  maxError: number;
  /** It is drawn beyond this many of the machine's bounding radii from the camera … */
  radii: number;
  /** … and never nearer than this, in metres, so a plant of small machines keeps its look across a hall. */
  minDistance: number;
}

/**
 * The view's far levels, coarser each. Level 1 starts where a machine of 3 m radius is about 25 px tall
 * at 800 px (240 m), so 10 % of its triangles within 5 % of its size cannot be told from the full one;
 * level 2 starts at three times that distance (under 10 px), where 2.5 % within 15 % is a pixel or less.
 */
export const farLevelSettings: readonly FarLevelSetting[] = [
  { ratio: 0.1, maxError: 0.05, radii: 80, minDistance: 200 },
  { ratio: 0.025, maxError: 0.15, radii: 240, minDistance: 600 },
];

/** A level that keeps more than this share of the triangles of the level before it is not worth its draw calls. */
const worthwhileShare = 0.8;

const scratchSize = new Vector3();
let ready: Promise<TriangleSimplifier | undefined> | undefined;

/**
 * meshoptimizer's simplifier once its WebAssembly has started (the page's policy allows it by
 * 'wasm-unsafe-eval'); undefined, with the reason reported once, when it cannot start: machines are
 * then drawn at full detail everywhere, which is slower but still right.
 */
export function farLevelSimplifier(): Promise<TriangleSimplifier | undefined> {
  ready ??= MeshoptSimplifier.ready.then(
    () => MeshoptSimplifier,
    (error: unknown) => {
      reportProblem(`Far machines are drawn at full detail: the mesh simplifier did not start (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    },
  );
  return ready;
}

/**
 * Adds the far levels the view makes itself (`farLevelSettings`): each batch of each part gets, per
 * level, a geometry that shares the batch's vertices (uploaded once) with a simplified triangle list, in
 * the same part frame, so moving parts move the same on every level. A level that gains too little over
 * the one before is left out, and every level after it.
 */
export function withSimplifiedFarLevels(model: KindModel, simplifier: TriangleSimplifier, settings: readonly FarLevelSetting[] = farLevelSettings): KindModel {
  const farLevels: KindLevel[] = [];
  let previous = model.triangles;
  for (const setting of settings) {
    const level = simplifiedLevel(model, simplifier, setting);
    if (previous === 0 || level.triangles > previous * worthwhileShare) {
      for (const geometry of level.made) geometry.dispose();
      break;
    }
    farLevels.push({ parts: level.parts, triangles: level.triangles });
    previous = level.triangles;
  }
  return farLevels.length > 0 ? { ...model, farLevels } : model;
}

function simplifiedLevel(model: KindModel, simplifier: TriangleSimplifier, setting: FarLevelSetting): KindLevel & { made: BufferGeometry[] } {
  let triangles = 0;
  const made: BufferGeometry[] = [];
  const parts = model.parts.map((part) =>
    part.batches.map((batch): KindBatch => {
      const index = batch.geometry.getIndex();
      const position = batch.geometry.getAttribute('position');
      if (!index || !(position.array instanceof Float32Array) || position.itemSize !== 3) {
        triangles += (index?.count ?? position.count) / 3;
        return batch;
      }
      const indices = index.array instanceof Uint32Array ? index.array : Uint32Array.from(index.array);
      const simplified = simplifyTriangles(simplifier, position.array, indices, setting.ratio, setting.maxError);
      triangles += simplified.length / 3;
      if (simplified === indices) return batch;
      const geometry = new BufferGeometry();
      for (const [name, attribute] of Object.entries(batch.geometry.attributes)) geometry.setAttribute(name, attribute);
      geometry.setIndex(new BufferAttribute(simplified, 1));
      geometry.boundingBox = batch.geometry.boundingBox;
      geometry.boundingSphere = batch.geometry.boundingSphere;
      made.push(geometry);
      return { ...batch, geometry };
    }),
  );
  return { parts, triangles, made };
}

/**
 * Puts a far level read from a file the plant names (`lod`, as `twinline models --lod` writes) first:
 * each part of the same machine built from that file, matched by node name (a part the file lacks stays
 * at full detail); the view's coarser levels, if any, stay after it. Kept only when it has fewer
 * triangles than the full model.
 */
export function withFileFarLevel(model: KindModel, farModel: KindModel): KindModel {
  const parts = model.parts.map((part) => farModel.parts.find((candidate) => candidate.node === part.node)?.batches ?? part.batches);
  const triangles = parts.reduce((sum, batches) => sum + batches.reduce((partSum, batch) => partSum + (batch.geometry.getIndex()?.count ?? 0) / 3, 0), 0);
  if (parts[0]!.length === 0 || triangles >= model.triangles) return model;
  const coarser = (model.farLevels ?? []).slice(1).filter((level) => level.triangles < triangles);
  return { ...model, farLevels: [{ parts, triangles }, ...coarser] };
}

/** Distances from the camera beyond which a kind's machines are drawn at each of its far levels (before hysteresis). */
export function levelDistances(model: KindModel, settings: readonly FarLevelSetting[] = farLevelSettings): number[] {
  const radius = model.bounds.isEmpty() ? 1 : model.bounds.getSize(scratchSize).length() / 2;
  return (model.farLevels ?? []).map((_, level) => {
    const setting = settings[Math.min(level, settings.length - 1)]!;
    return Math.max(setting.minDistance, radius * setting.radii);
  });
}
