import { BufferAttribute, BufferGeometry, Vector3 } from 'three';
import type { TriangleSimplifier } from '../../src-main/common/simplify-triangles.ts';
import type { KindBatch, KindLevel, KindModel } from './kind-model.ts';
import { farLevelSettings, simplifyFarLevels, type FarLevelInput, type FarLevelSetting, type SimplifiedFarLevels } from './simplify-far-levels.ts';

/** A level that keeps more than this share of the triangles of the level before it is not worth its draw calls. */
const worthwhileShare = 0.8;

const scratchSize = new Vector3();

/** The triangle lists of a model's batches, part by part and batch by batch, as `simplifyFarLevels` takes them. */
export function farLevelInputs(model: KindModel): FarLevelInput[] {
  return model.parts.flatMap((part) =>
    part.batches.map((batch): FarLevelInput => {
      const index = batch.geometry.getIndex();
      const position = batch.geometry.getAttribute('position');
      if (!index || !(position.array instanceof Float32Array) || position.itemSize !== 3) return null;
      return { positions: position.array, indices: index.array instanceof Uint32Array ? index.array : Uint32Array.from(index.array) };
    }),
  );
}

/**
 * Adds the far levels the view made (`simplifyFarLevels` of `farLevelInputs(model)`): each batch of each
 * part gets, per level, a geometry that shares the batch's vertices (uploaded once) with the simplified
 * triangle list, in the same part frame, so moving parts move the same on every level. A level that gains
 * too little over the one before is left out, and every level after it.
 */
export function withFarLevels(model: KindModel, simplified: SimplifiedFarLevels): KindModel {
  const farLevels: KindLevel[] = [];
  let previous = model.triangles;
  for (const lists of simplified) {
    const level = levelFrom(model, lists);
    if (previous === 0 || level.triangles > previous * worthwhileShare) {
      for (const geometry of level.made) geometry.dispose();
      break;
    }
    farLevels.push({ parts: level.parts, triangles: level.triangles });
    previous = level.triangles;
  }
  return farLevels.length > 0 ? { ...model, farLevels } : model;
}

/**
 * `answer` (what the far-level worker sent for `model`) as far levels `withFarLevels` can use, or an
 * error saying what is wrong: at most one list per far level setting, one entry per batch of the model,
 * each null or whole triangles that name only the batch's vertices. A wrong list would otherwise draw
 * garbage or read past the vertex buffer.
 */
export function checkedFarLevels(model: KindModel, answer: unknown): SimplifiedFarLevels {
  const batches = model.parts.flatMap((part) => part.batches);
  if (!Array.isArray(answer) || answer.length > farLevelSettings.length) throw new Error(`the far-level worker answered with ${Array.isArray(answer) ? `${answer.length} levels` : 'no list of levels'}`);
  for (const [level, lists] of answer.entries()) {
    if (!Array.isArray(lists) || lists.length !== batches.length) throw new Error(`the far-level worker answered level ${level + 1} with ${Array.isArray(lists) ? lists.length : 'no'} lists for ${batches.length} batches`);
    for (const [batch, list] of lists.entries()) {
      if (list === null) continue;
      const geometry = batches[batch]!.geometry;
      if (!(list instanceof Uint32Array) || !geometry.getIndex() || list.length % 3 !== 0) throw new Error(`the far-level worker answered batch ${batch + 1} of level ${level + 1} with something other than whole triangles`);
      const vertices = geometry.getAttribute('position').count;
      // A loop, not a spread: a list of a million indices would overflow the stack as arguments.
      for (let index = 0; index < list.length; index++) {
        if (list[index]! >= vertices) throw new Error(`the far-level worker answered batch ${batch + 1} of level ${level + 1} with vertex ${list[index]}, of ${vertices}`);
      }
    }
  }
  return answer as SimplifiedFarLevels;
}

/** `withFarLevels` with the simplifying done here and now, for tests (a view whose worker fails draws at full detail instead). */
export function withSimplifiedFarLevels(model: KindModel, simplifier: TriangleSimplifier, settings: readonly FarLevelSetting[] = farLevelSettings): KindModel {
  return withFarLevels(model, simplifyFarLevels(farLevelInputs(model), simplifier, settings));
}

function levelFrom(model: KindModel, lists: ReadonlyArray<Uint32Array | null>): KindLevel & { made: BufferGeometry[] } {
  let triangles = 0;
  let next = 0;
  const made: BufferGeometry[] = [];
  const parts = model.parts.map((part) =>
    part.batches.map((batch): KindBatch => {
      const simplified = lists[next++];
      if (!simplified) {
        const index = batch.geometry.getIndex();
        triangles += (index?.count ?? batch.geometry.getAttribute('position').count) / 3;
        return batch;
      }
      triangles += simplified.length / 3;
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
