import { Vector3 } from 'three';

/** Shortest and longest flight between viewpoints, in ms: long hops take longer, never so long a room waits. */
export const flightMs = { min: 900, max: 2500 } as const;

/** Ease in and out, so a flight neither jolts nor stops short: 0 → 0, 1 → 1. */
export function easeInOut(progress: number): number {
  return progress < 0.5 ? 2 * progress * progress : 1 - (-2 * progress + 2) ** 2 / 2;
}

/**
 * One camera flight at a time, with its vectors made once: starting a flight copies into them and
 * `step` writes into the camera's own, so flying allocates nothing per frame.
 */
export class CameraFlight {
  private readonly fromPosition = new Vector3();
  private readonly toPosition = new Vector3();
  private readonly fromTarget = new Vector3();
  private readonly toTarget = new Vector3();
  private startedAt = 0;
  private durationMs: number = flightMs.min;
  /** A flight is under way. */
  active = false;

  /** Starts a flight from where the camera is to a position and target, at time `now` (ms), taking at most `withinMs`. */
  start(position: Vector3, target: Vector3, toPosition: readonly number[], toTarget: readonly number[], now: number, withinMs: number = flightMs.max): void {
    this.fromPosition.copy(position);
    this.fromTarget.copy(target);
    this.toPosition.set(toPosition[0]!, toPosition[1]!, toPosition[2]!);
    this.toTarget.set(toTarget[0]!, toTarget[1]!, toTarget[2]!);
    const distance = this.fromPosition.distanceTo(this.toPosition) + this.fromTarget.distanceTo(this.toTarget);
    this.durationMs = Math.max(1, Math.min(withinMs, flightMs.max, Math.max(flightMs.min, flightMs.min + distance * 8)));
    this.startedAt = now;
    this.active = true;
  }

  /** Moves `position` and `target` to where the flight is at `now`; returns whether it is still under way. */
  step(position: Vector3, target: Vector3, now: number): boolean {
    if (!this.active) return false;
    const progress = Math.min(1, Math.max(0, (now - this.startedAt) / this.durationMs));
    const eased = easeInOut(progress);
    position.lerpVectors(this.fromPosition, this.toPosition, eased);
    target.lerpVectors(this.fromTarget, this.toTarget, eased);
    if (progress >= 1) this.active = false;
    return this.active;
  }
}
