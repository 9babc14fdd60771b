import { Vector3 } from 'three';
import type { TourStep, Viewpoint } from '../../src-main/common/tours/tours-schema.ts';
import { CameraFlight } from '../tours/camera-flight.ts';

/** One step of a tour laid out on a video's clock: when it starts, how long it stays, where its camera flies from and to. */
interface PathStep {
  startMs: number;
  durationMs: number;
  caption: string;
  fromPosition: Vector3;
  fromTarget: Vector3;
  toPosition: readonly number[];
  toTarget: readonly number[];
}

/**
 * A tour as a function of video time: each step flies from the last viewpoint to its own as a played
 * tour does (the same flight, eased, within the step's stay), then holds; the first step starts at its
 * viewpoint. Steps whose viewpoint is missing are left out. Poses are written into the caller's vectors.
 */
export class TourCameraPath {
  private readonly steps: PathStep[] = [];
  private readonly flight = new CameraFlight();
  /** The whole tour's length, in ms. */
  readonly durationMs: number;

  constructor(steps: readonly TourStep[], viewpoints: readonly Viewpoint[]) {
    let startMs = 0;
    let previous: Viewpoint | undefined;
    for (const step of steps) {
      const viewpoint = viewpoints.find((candidate) => candidate.name === step.viewpoint);
      if (!viewpoint) continue;
      const from = previous ?? viewpoint;
      const durationMs = step.seconds * 1000;
      this.steps.push({
        startMs,
        durationMs,
        caption: step.caption,
        fromPosition: new Vector3(...from.position),
        fromTarget: new Vector3(...from.target),
        toPosition: viewpoint.position,
        toTarget: viewpoint.target,
      });
      startMs += durationMs;
      previous = viewpoint;
    }
    this.durationMs = startMs;
  }

  /** Writes the camera's position and target at `timeMs` of the video; returns the caption shown then ('' for none). */
  poseAt(timeMs: number, position: Vector3, target: Vector3): string {
    let index = 0;
    while (index + 1 < this.steps.length && this.steps[index + 1]!.startMs <= timeMs) index++;
    const step = this.steps[index];
    if (!step) return '';
    this.flight.start(step.fromPosition, step.fromTarget, step.toPosition, step.toTarget, step.startMs, step.durationMs);
    this.flight.step(position, target, Math.min(timeMs, step.startMs + step.durationMs));
    return step.caption;
  }
}
