import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import { Vector3 } from 'three';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { countDrawCalls, type DrawCallCounter, type DrawCallCounts } from './draw-call-counter.ts';
import type { MachineRegistry } from './machine-registry.ts';

/** What the last rendered frame cost, as the WebGL context saw it and as three's renderer counted it. */
export interface FrameRenderStats extends DrawCallCounts {
  /** three's own `renderer.info.render.calls` for the same frame, shadow passes included. */
  rendererCalls: number;
  /** Frames rendered since the probe started. */
  frames: number;
}

/** Read-only facts about the scene, for automated checks and support: `window.twinlineProbe`. */
export interface SceneProbeApi {
  /** How many machines have their model loaded. */
  loadedMachines(): number;
  /** Where a machine's centre is on screen, in CSS pixels from the canvas's top-left, or null. */
  machineScreenPosition(machineId: string): { x: number; y: number } | null;
  /** Draw calls, instances and triangles of the last rendered frame. */
  renderStats(): FrameRenderStats;
  /** A machine's world-space bounds in metres (y up), or null before its model is in the scene. */
  machineBounds(machineId: string): { min: [number, number, number]; max: [number, number, number] } | null;
  /** Where a world-space point is on screen, in CSS pixels from the canvas's top-left. */
  screenPoint(point: [number, number, number]): { x: number; y: number };
}

/** Publishes the scene probe on `window`. */
export function SceneProbe({ registry, machines }: { registry: MachineRegistry; machines: Machine[] }) {
  const camera = useThree((state) => state.camera);
  const size = useThree((state) => state.size);
  const renderer = useThree((state) => state.gl);
  const counter = useRef<DrawCallCounter | null>(null);
  const last = useRef<FrameRenderStats>({ drawCalls: 0, instances: 0, triangles: 0, rendererCalls: 0, frames: 0 });

  useEffect(() => {
    const wrapped = countDrawCalls(renderer.getContext());
    counter.current = wrapped;
    return () => {
      wrapped.dispose();
      counter.current = null;
    };
  }, [renderer]);

  // Frame callbacks run before the render, so what was counted since the last one is the last frame's.
  useFrame(() => {
    const stats = last.current;
    if (!counter.current) return;
    counter.current.take(stats);
    stats.rendererCalls = renderer.info.render.calls;
    stats.frames++;
  });

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
      renderStats: () => ({ ...last.current }),
      machineBounds: (machineId) => {
        const handle = registry.handles[machines.findIndex((machine) => machine.id === machineId)];
        return handle ? { min: handle.bounds.min.toArray(), max: handle.bounds.max.toArray() } : null;
      },
      screenPoint: ([x, y, z]) => {
        const point = new Vector3(x, y, z).project(camera);
        return { x: ((point.x + 1) / 2) * size.width, y: ((1 - point.y) / 2) * size.height };
      },
    };
    (window as unknown as { twinlineProbe?: SceneProbeApi }).twinlineProbe = probe;
  }, [registry, machines, camera, size]);
  return null;
}
