/**
 * What the key light's shadow map was drawn from: `structure` counts changes that must show in the
 * very next frame (machines added, moved between layers or levels, the light or its map changed),
 * `motion` counts moving parts of shadow-casting (nearest-level) machines that moved.
 */
export const shadowCasterChanges = { structure: 0, motion: 0 };

/** Something that casts a shadow changed in a way the next frame must show (a machine appeared, moved layer, the light moved). */
export function markShadowStructureChanged(): void {
  shadowCasterChanges.structure++;
}

/** A moving part of a shadow-casting machine moved. */
export function markShadowMotion(): void {
  shadowCasterChanges.motion++;
}

/**
 * A moving part's shadow is drawn again at most every this many frames: a spindle's or a roller's
 * shadow hardly changes as it turns, and a robot arm's lags by a frame at most, while the shadow
 * pass (every nearby machine drawn once more) is skipped on the frames between.
 */
export const motionShadowEveryFrames = 2;

/**
 * Decides once per frame whether the shadow map must be drawn again. The key light and the shadow's
 * frustum stand still with the plant, not with the camera, so a frame in which no shadow caster
 * changed needs no shadow pass at all: the map of the frame before is still right.
 */
export class ShadowRefresh {
  private structure = -1;
  private motion = -1;
  private framesSinceDrawn = 0;

  /** Whether to draw the shadow map this frame, given the changes counted so far (`shadowCasterChanges`). */
  needsDrawing(changes: { readonly structure: number; readonly motion: number }): boolean {
    this.framesSinceDrawn++;
    const structural = changes.structure !== this.structure;
    const moved = changes.motion !== this.motion;
    if (!structural && !(moved && this.framesSinceDrawn >= motionShadowEveryFrames)) return false;
    this.structure = changes.structure;
    this.motion = changes.motion;
    this.framesSinceDrawn = 0;
    return true;
  }
}
