import type { Box3, Euler, Vector3 } from 'three';
import type { PropertyAnimation, SpinAnimation } from '../../src-main/common/plant-schema.ts';
import type { MachineInstance } from './instanced-kind.ts';

/**
 * The pose of one moving part on one machine, as animations write it (the fields of an `Object3D` they
 * touch); `changed` tells the instanced drawing which parts' matrices to rewrite this frame.
 */
export interface PartPose {
  position: Vector3;
  rotation: Euler;
  scale: Vector3;
  visible: boolean;
  changed: boolean;
}

/** A node property driven by a signal. */
export interface PropertyTarget {
  object: PartPose;
  binding: PropertyAnimation;
  signalIndex: number;
}

/** A node spun by a rate signal. */
export interface SpinTarget {
  object: PartPose;
  binding: SpinAnimation;
  signalIndex: number;
  baseAngle: number;
  angle: number;
}

/** Everything the per-frame updater touches for one machine, prepared once when its model loads. */
export interface MachineHandle {
  machineIndex: number;
  /** World-space bounds, for fitting, labels and projecting to the screen. */
  bounds: Box3;
  /** Where the machine is drawn among its kind's instances. */
  instance: MachineInstance;
  properties: PropertyTarget[];
  spins: SpinTarget[];
  /** Health code last drawn, or -1 before the first frame. */
  appliedHealth: number;
}

/** The machines currently in the scene, by machine index; a plain array so the frame loop allocates nothing. */
export class MachineRegistry {
  readonly handles: Array<MachineHandle | undefined> = [];
  private readonly changeListeners = new Set<() => void>();

  /** Adds a machine; returns the function that removes it. */
  register(handle: MachineHandle): () => void {
    return this.registerAll([handle]);
  }

  /** Adds a kind's machines at once (one change notice, not thousands); returns the function that removes them. */
  registerAll(handles: readonly MachineHandle[]): () => void {
    for (const handle of handles) this.handles[handle.machineIndex] = handle;
    this.changed();
    return () => {
      for (const handle of handles) if (this.handles[handle.machineIndex] === handle) this.handles[handle.machineIndex] = undefined;
      this.changed();
    };
  }

  /** Called when machines come or go; returns the function that stops listening. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}
