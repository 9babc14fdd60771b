import { Frustum, Matrix4, type Camera } from 'three';
import type { MachineInstance } from './instanced-kind.ts';

/**
 * From this level of detail on, a machine's moving parts are not animated: it is under about 10 px
 * tall there (see `farLevelSettings`), so a moving arm cannot be seen, and its matrices need no rewrite
 * or upload. It moves again, to its signals' current values, as soon as it comes nearer.
 */
export const stillFromLevel = 2;

/**
 * At the first far level a machine is about 8–25 px tall: its parts still show motion, but not its
 * smoothness, so it is moved at most every this many frames (in turn, a share of them each frame), by
 * the time of that many frames.
 */
export const firstFarLevelStride = 4;

/**
 * How many machines at the first far level are moved in one frame, at most: when more of them are in
 * view than this × `firstFarLevelStride`, each waits longer for its turn. The frame's animation work
 * then stays bounded however large the site (as game engines budget far characters' animation), while
 * every machine near the camera still moves every frame.
 */
export const firstFarLevelBudget = 128;

/**
 * Decides, once per frame, which machines are worth animating: those whose cell is in the camera's
 * view and that are drawn nearer than `stillFromLevel`, those at the first far level in turn, every
 * `firstFarLevelStride` frames or, when more than `firstFarLevelBudget` of them would move each frame,
 * less often. A cell is tested against the frustum at most once a frame (by its bounding sphere, as three
 * culls it); nothing is allocated per frame.
 */
export class AnimationCulling {
  private readonly frustum = new Frustum();
  private readonly viewProjection = new Matrix4();
  private frame = 0;
  /** Frames between two moves of a machine at the first far level, this frame. */
  private farStride = firstFarLevelStride;
  /** Machines at the first far level in view, counted during this frame, deciding the next frame's stride. */
  private farInView = 0;

  /** The frames between two moves of a machine at the first far level, as this frame decided it. */
  get firstFarLevelStride(): number {
    return this.farStride;
  }

  /** Takes the camera's view for this frame (its world matrix as last rendered). */
  beginFrame(camera: Camera): void {
    this.frame++;
    // Last frame's count decides this frame's turns: a machine waits at most one frame longer for a changed stride.
    this.farStride = Math.max(firstFarLevelStride, Math.ceil(this.farInView / firstFarLevelBudget));
    this.farInView = 0;
    this.viewProjection.multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
    this.frustum.setFromProjectionMatrix(this.viewProjection, camera.coordinateSystem);
  }

  /**
   * How many frames' time to move this machine's parts by this frame: 0 when it is not moved now, 1
   * near the camera; at the first far level, on its turn, the frames since it last moved (at most the
   * stride: a machine back in view does not catch up the time it was out). Called once per machine a
   * frame, in the same order every frame.
   */
  animationStride(instance: MachineInstance): number {
    if (instance.level >= stillFromLevel) return 0;
    const cell = instance.cell;
    if (cell.viewFrame !== this.frame) {
      cell.viewFrame = this.frame;
      cell.inView = this.frustum.intersectsSphere(cell.sphere);
    }
    if (!cell.inView) return 0;
    if (instance.level === 0) return 1;
    // Turns go by the order machines are visited in, not by their indices: indices that share a factor
    // with the stride (every 30th machine a press) would all take the same turn.
    const turn = this.farInView++;
    if ((turn + this.frame) % this.farStride !== 0) return 0;
    const since = instance.movedFrame < 0 ? this.farStride : this.frame - instance.movedFrame;
    instance.movedFrame = this.frame;
    return Math.min(since, this.farStride);
  }
}
