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
 * Adds the far level the view makes itself: each batch of each part gets a geometry that shares the
 * batch's vertices (uploaded once) with a simplified triangle list, in the same part frame, so moving
 * parts move the same on both levels. Leaves the model without a far level when simplifying gains too little.
 */
export function withSimplifiedFarLevel(model: KindModel, simplifier: TriangleSimplifier, ratio = farRatio): KindModel {
  let farTriangles = 0;
  const made: BufferGeometry[] = [];
  const parts = model.parts.map((part) =>
    part.batches.map((batch): KindBatch => {
      const index = batch.geometry.getIndex();
      const position = batch.geometry.getAttribute('position');
      if (!index || !(position.array instanceof Float32Array) || position.itemSize !== 3) {
        farTriangles += (index?.count ?? position.count) / 3;
        return batch;
      }
      const indices = index.array instanceof Uint32Array ? index.array : Uint32Array.from(index.array);
      const simplified = simplifyTriangles(simplifier, position.array, indices, ratio, farMaxError);
      farTriangles += simplified.length / 3;
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
  if (model.triangles === 0 || farTriangles > model.triangles * worthwhileShare) {
    for (const geometry of made) geometry.dispose();
    return model;
  }
  return { ...model, far: { parts, triangles: farTriangles } };
}

/**
 * Adds a far level read from a file the plant names (`lod`, as `twinline models --lod` writes): each
 * part of the same machine built from that file, matched by node name (a part the file lacks stays at
 * full detail). Kept only when it has fewer triangles than the full one.
 */
export function withFileFarLevel(model: KindModel, farModel: KindModel): KindModel {
  const parts = model.parts.map((part) => farModel.parts.find((candidate) => candidate.node === part.node)?.batches ?? part.batches);
  const triangles = parts.reduce((sum, batches) => sum + batches.reduce((partSum, batch) => partSum + (batch.geometry.getIndex()?.count ?? 0) / 3, 0), 0);
  if (parts[0]!.length === 0 || triangles >= model.triangles) return model;
  return { ...model, far: { parts, triangles } };
}

/** Distance from the camera beyond which a kind's machines are drawn far (before hysteresis). */
export function farDistance(model: KindModel): number {
  const radius = model.bounds.isEmpty() ? 1 : model.bounds.getSize(scratchSize).length() / 2;
  return Math.max(minFarDistance, radius * farRadii);
}
