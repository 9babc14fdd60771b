import { BufferAttribute, BufferGeometry, Vector3 } from 'three';
import { MeshoptSimplifier } from 'meshoptimizer';
import { simplifyTriangles, type TriangleSimplifier } from '../../src-main/common/simplify-triangles.ts';
import { reportProblem } from '../state/view-store.ts';
import type { KindBatch, KindModel } from './kind-model.ts';

/**
 * Share of triangles the view's own far level keeps. It is drawn only where a machine is a few dozen
 * pixels tall (see `farDistance`), so it may be coarse: 10 %, within 5 % of the part's extent.
 */
export const farRatio = 0.1;
const farMaxError = 0.05;

/** A far level that keeps more than this share of the full triangles is not worth its draw calls: the kind stays at full detail. */
const worthwhileShare = 0.8;

/** Beyond this many of its bounding radii from the camera (a machine of 3 m radius: 240 m, about 25 px tall at 800 px), a machine is drawn far. */
export const farRadii = 80;
/** … and never nearer than this, so a plant of small machines keeps its full look across a hall. */
export const minFarDistance = 200;

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
 * Adds the far level the view makes itself: each static batch (part 0) gets a geometry that shares the
 * batch's vertices (uploaded once) with a simplified triangle list. Animated parts stay at full detail:
 * they are small, and must move the same on both levels. Leaves the model without a far level when
 * simplifying gains too little.
 */
export function withSimplifiedFarLevel(model: KindModel, simplifier: TriangleSimplifier, ratio = farRatio): KindModel {
  const staticBatches = model.parts[0]!.batches;
  const batches: KindBatch[] = [];
  let staticTriangles = 0;
  let farTriangles = 0;
  for (const batch of staticBatches) {
    const index = batch.geometry.getIndex();
    const position = batch.geometry.getAttribute('position');
    if (!index || !(position.array instanceof Float32Array) || position.itemSize !== 3) {
      batches.push(batch);
      continue;
    }
    const indices = index.array instanceof Uint32Array ? index.array : Uint32Array.from(index.array);
    const simplified = simplifyTriangles(simplifier, position.array, indices, ratio, farMaxError);
    staticTriangles += indices.length / 3;
    farTriangles += simplified.length / 3;
    if (simplified === indices) {
      batches.push(batch);
      continue;
    }
    const geometry = new BufferGeometry();
    for (const [name, attribute] of Object.entries(batch.geometry.attributes)) geometry.setAttribute(name, attribute);
    geometry.setIndex(new BufferAttribute(simplified, 1));
    geometry.boundingBox = batch.geometry.boundingBox;
    geometry.boundingSphere = batch.geometry.boundingSphere;
    batches.push({ ...batch, geometry });
  }
  if (staticTriangles === 0 || farTriangles > staticTriangles * worthwhileShare) {
    for (const batch of batches) if (!staticBatches.includes(batch)) batch.geometry.dispose();
    return model;
  }
  return { ...model, far: { batches, triangles: model.triangles - staticTriangles + farTriangles } };
}

/**
 * Adds a far level read from a file the plant names (`lod:`, as `twinline models --lod` writes): the static
 * batches of the same machine built from that file. Kept only when it has fewer triangles than the full one.
 */
export function withFileFarLevel(model: KindModel, farModel: KindModel): KindModel {
  const farStatic = farModel.parts[0]!.batches;
  const farStaticTriangles = farStatic.reduce((sum, batch) => sum + (batch.geometry.getIndex()?.count ?? 0) / 3, 0);
  const fullStaticTriangles = model.parts[0]!.batches.reduce((sum, batch) => sum + (batch.geometry.getIndex()?.count ?? 0) / 3, 0);
  if (farStatic.length === 0 || farStaticTriangles >= fullStaticTriangles) return model;
  return { ...model, far: { batches: farStatic, triangles: model.triangles - fullStaticTriangles + farStaticTriangles } };
}

/** Distance from the camera beyond which a kind's machines are drawn far (before hysteresis). */
export function farDistance(model: KindModel): number {
  const radius = model.bounds.isEmpty() ? 1 : model.bounds.getSize(scratchSize).length() / 2;
  return Math.max(minFarDistance, radius * farRadii);
}
