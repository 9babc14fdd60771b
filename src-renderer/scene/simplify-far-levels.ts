// How the view's far levels of detail are made: their settings, and the simplifying itself.
import { simplifyTriangles, type TriangleSimplifier } from '../../src-main/common/simplify-triangles.ts';

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

/** One batch's triangles as the simplifier takes them, or null for a batch it cannot take (no index, other vertex layout). */
export type FarLevelInput = { positions: Float32Array; indices: Uint32Array } | null;

/** For each far level setting, each input's simplified triangles: null where simplifying gains nothing (or the input was null). */
export type SimplifiedFarLevels = Array<Array<Uint32Array | null>>;

/**
 * Simplifies each input once per far level setting. It runs in the far-level worker (see
 * `far-level-worker.ts`), off the thread that draws, as a CAD model's million triangles take seconds:
 * this module imports neither three nor the view, so the worker stays small.
 */
export function simplifyFarLevels(inputs: readonly FarLevelInput[], simplifier: TriangleSimplifier, settings: readonly FarLevelSetting[] = farLevelSettings): SimplifiedFarLevels {
  return settings.map((setting) =>
    inputs.map((input) => {
      if (!input) return null;
      const simplified = simplifyTriangles(simplifier, input.positions, input.indices, setting.ratio, setting.maxError);
      return simplified === input.indices ? null : simplified;
    }),
  );
}

