import { Vector3, type Camera, type EventDispatcher } from 'three';

/** The orbit controls as the gate drives them: three's `OrbitControls`. */
export interface GatedControls extends EventDispatcher<{ start: object }> {
  enabled: boolean;
  readonly target: Vector3;
  minDistance: number;
  maxDistance: number;
  minPolarAngle: number;
  maxPolarAngle: number;
  /** Moves the camera by the controls' pending motion; true when the camera moved. */
  update(): boolean;
}

/**
 * Decides, frame by frame, whether orbit controls need their `update()`: while a damped motion goes on
 * (the last update moved the camera), on the frame after the camera, its target or the controls'
 * limits were changed from outside (a drag's or the wheel's own update moves the camera too, and the
 * motion it leaves is then followed), and after a `start`. Otherwise the frame spends nothing on them.
 * Nothing is decided from `start` and `end` pairs: the focuser and tours send a `start` alone.
 */
export class OrbitUpdateGate {
  private moving = true;
  private readonly position = new Vector3(Infinity, 0, 0);
  private readonly target = new Vector3(Infinity, 0, 0);
  private readonly limits = [Number.NaN, Number.NaN, Number.NaN, Number.NaN];
  private readonly controls: GatedControls;
  private readonly camera: Camera;
  private readonly onStart = () => {
    this.moving = true;
  };

  constructor(controls: GatedControls, camera: Camera) {
    this.controls = controls;
    this.camera = camera;
  }

  /** Starts listening to the controls; returns the function that stops. */
  listen(): () => void {
    this.controls.addEventListener('start', this.onStart);
    return () => this.controls.removeEventListener('start', this.onStart);
  }

  /** Runs the controls' update if this frame needs it; returns whether it ran. Allocates nothing. */
  frame(): boolean {
    const { controls, camera, limits } = this;
    if (!controls.enabled) return false;
    const changedOutside =
      !camera.position.equals(this.position) ||
      !controls.target.equals(this.target) ||
      limits[0] !== controls.minDistance ||
      limits[1] !== controls.maxDistance ||
      limits[2] !== controls.minPolarAngle ||
      limits[3] !== controls.maxPolarAngle;
    if (!this.moving && !changedOutside) return false;
    this.moving = controls.update();
    this.position.copy(camera.position);
    this.target.copy(controls.target);
    limits[0] = controls.minDistance;
    limits[1] = controls.maxDistance;
    limits[2] = controls.minPolarAngle;
    limits[3] = controls.maxPolarAngle;
    return true;
  }
}
