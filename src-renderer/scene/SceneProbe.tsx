import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import { Vector3 } from 'three';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import type { MachineRegistry } from './machine-registry.ts';

/** Read-only facts about the scene, for automated checks and support: `window.twinlineProbe`. */
export interface SceneProbeApi {
  /** How many machines have their model loaded. */
  loadedMachines(): number;
  /** Where a machine's centre is on screen, in CSS pixels from the canvas's top-left, or null. */
  machineScreenPosition(machineId: string): { x: number; y: number } | null;
}

/** Publishes the scene probe on `window`. */
export function SceneProbe({ registry, machines }: { registry: MachineRegistry; machines: Machine[] }) {
  const camera = useThree((state) => state.camera);
  const size = useThree((state) => state.size);
  useEffect(() => {
    const probe: SceneProbeApi = {
      loadedMachines: () => registry.handles.filter(Boolean).length,
      machineScreenPosition: (machineId) => {
        const index = machines.findIndex((machine) => machine.id === machineId);
        const handle = registry.handles[index];
        if (!handle) return null;
        const point = handle.bounds.getCenter(new Vector3()).project(camera);
        return { x: ((point.x + 1) / 2) * size.width, y: ((1 - point.y) / 2) * size.height };
      },
    };
    (window as unknown as { twinlineProbe?: SceneProbeApi }).twinlineProbe = probe;
  }, [registry, machines, camera, size]);
  return null;
}
