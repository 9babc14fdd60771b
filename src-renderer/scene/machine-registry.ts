import type { Box3, Color, MeshStandardMaterial, Object3D } from 'three';
import type { PropertyAnimation, SpinAnimation } from '../../src-main/common/plant-schema.ts';

/** A material of one machine, with the look it had before any tint. */
export interface TintedMaterial {
  material: MeshStandardMaterial;
  baseColor: Color;
  baseOpacity: number;
  baseTransparent: boolean;
}

/** A node property driven by a signal. */
export interface PropertyTarget {
  object: Object3D;
  binding: PropertyAnimation;
  signalIndex: number;
}

/** A node spun by a rate signal. */
export interface SpinTarget {
  object: Object3D;
  binding: SpinAnimation;
  signalIndex: number;
  baseAngle: number;
  angle: number;
}

/** Everything the per-frame updater touches for one machine, prepared once when its model loads. */
export interface MachineHandle {
  machineIndex: number;
  root: Object3D;
  /** World-space bounds, for fitting, labels and projecting to the screen. */
  bounds: Box3;
  materials: TintedMaterial[];
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
    this.handles[handle.machineIndex] = handle;
    this.changed();
    return () => {
      if (this.handles[handle.machineIndex] === handle) this.handles[handle.machineIndex] = undefined;
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
