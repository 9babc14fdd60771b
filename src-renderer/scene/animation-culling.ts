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
 * smoothness, so it is moved every this many frames (in turn, a share of them each frame), by the time
 * of that many frames.
 */
export const firstFarLevelStride = 4;

/**
 * Decides, once per frame, which machines are worth animating: those whose cell is in the camera's
 * view and that are drawn nearer than `stillFromLevel`, those at the first far level every
 * `firstFarLevelStride` frames. A cell is tested against the frustum at most once a frame (by its
 * bounding sphere, as three culls it); nothing is allocated per frame.
 */
export class AnimationCulling {
  private readonly frustum = new Frustum();
  private readonly viewProjection = new Matrix4();
  private frame = 0;

  /** Takes the camera's view for this frame (its world matrix as last rendered). */
  beginFrame(camera: Camera): void {
    this.frame++;
    this.viewProjection.multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
    this.frustum.setFromProjectionMatrix(this.viewProjection, camera.coordinateSystem);
  }

  /**
   * How many frames' time to move this machine's parts by this frame: 0 when it is not moved now, 1
   * near the camera, `firstFarLevelStride` on its turn at the first far level.
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
    return (instance.machineIndex + this.frame) % firstFarLevelStride === 0 ? firstFarLevelStride : 0;
  }
}
