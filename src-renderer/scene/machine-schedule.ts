import type { LevelGroup } from './instanced-kind.ts';
import type { MachineHandle, MachineRegistry } from './machine-registry.ts';

/** Animated machines that change level together: a kind's level group, or (for a kind without far levels) all of its machines. */
export interface AnimatedGroup {
  /** The level group whose level all of `handles` share, or null: always at full detail. */
  readonly group: LevelGroup | null;
  readonly handles: readonly MachineHandle[];
}

/** Not a health code: a machine whose drawn health is this gets its health applied on the next frame. */
export const notDrawn = -1;

/**
 * What the per-frame loop visits, so that its work grows with what changed and what moves near the
 * camera, not with the size of the site: the health each machine was last drawn with (compared in bulk
 * with the frame buffer's), and the animated machines by level group (a group drawn too far away to
 * animate is skipped whole). Rebuilt on the first frame after machines come or go; nothing is allocated
 * on the other frames.
 */
export class MachineSchedule {
  /** Per machine index, the health code its instance was last drawn with, or `notDrawn` (wider than a code, so no code is mistaken for it). */
  drawnHealth = new Int16Array(0);
  /** Animated machines grouped as they change level. */
  animated: AnimatedGroup[] = [];
  private stale = true;
  private readonly registry: MachineRegistry;

  constructor(registry: MachineRegistry) {
    this.registry = registry;
  }

  /** Marks the schedule for rebuilding at the next refresh: machines came or went. */
  invalidate(): void {
    this.stale = true;
  }

  /** Rebuilds the schedule if machines came or went since the last call, for a plant of `machineCount` machines. */
  refresh(machineCount: number): void {
    if (!this.stale && this.drawnHealth.length === machineCount) return;
    this.stale = false;
    const handles = this.registry.handles;
    this.drawnHealth = new Int16Array(machineCount).fill(notDrawn);
    const byGroup = new Map<LevelGroup | null, MachineHandle[]>();
    for (let index = 0; index < handles.length; index++) {
      const handle = handles[index];
      if (!handle) continue;
      if (index < machineCount && handle.appliedHealth >= 0) this.drawnHealth[index] = handle.appliedHealth;
      if (handle.properties.length === 0 && handle.spins.length === 0) continue;
      const group = handle.instance.levelGroup;
      const members = byGroup.get(group);
      if (members) members.push(handle);
      else byGroup.set(group, [handle]);
    }
    this.animated = [...byGroup].map(([group, members]) => ({ group, handles: members }));
  }
}
