import { Vector3, type Camera, type EventDispatcher } from 'three';

/** The orbit controls as the gate drives them: three's `OrbitControls`. */
export interface GatedControls extends EventDispatcher<{ start: object; end: object }> {
  enabled: boolean;
  readonly target: Vector3;
  /** Moves the camera by the controls' pending motion; true when the camera moved. */
  update(): boolean;
}

/**
 * Decides, frame by frame, whether orbit controls need their `update()`: while someone drags or zooms
 * (between their `start` and `end` events), while a damped motion goes on (the last update moved the
 * camera), and on the frame after something else moved the camera or its target. Otherwise the frame
 * spends nothing on them.
 */
export class OrbitUpdateGate {
  private interacting = false;
  private moving = true;
  private readonly position = new Vector3(Infinity, 0, 0);
  private readonly target = new Vector3(Infinity, 0, 0);
  private readonly controls: GatedControls;
  private readonly camera: Camera;
  private readonly onStart = () => {
    this.interacting = true;
    this.moving = true;
  };
  private readonly onEnd = () => {
    this.interacting = false;
  };

  constructor(controls: GatedControls, camera: Camera) {
    this.controls = controls;
    this.camera = camera;
    controls.addEventListener('start', this.onStart);
    controls.addEventListener('end', this.onEnd);
  }

  /** Runs the controls' update if this frame needs it; returns whether it ran. Allocates nothing. */
  frame(): boolean {
    const { controls, camera } = this;
    if (!controls.enabled) return false;
    const movedByOthers = !camera.position.equals(this.position) || !controls.target.equals(this.target);
    if (!this.interacting && !this.moving && !movedByOthers) return false;
    this.moving = controls.update() || this.interacting;
    this.position.copy(camera.position);
    this.target.copy(controls.target);
    return true;
  }

  /** Asks for an update on the next frame (a setting of the controls changed). */
  wake(): void {
    this.moving = true;
  }

  /** Stops listening to the controls. */
  dispose(): void {
    this.controls.removeEventListener('start', this.onStart);
    this.controls.removeEventListener('end', this.onEnd);
  }
}
