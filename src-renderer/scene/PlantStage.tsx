import { useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Box3, type DirectionalLight, Vector3 } from 'three';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { AreaFloors } from './AreaFloors.tsx';
import { CameraFitter } from './CameraFitter.tsx';
import type { MachineRegistry } from './machine-registry.ts';
import { markShadowStructureChanged } from './shadow-refresh.ts';
import { areaPlates, extentChanged, extentOfBounds, extentWithPlates, plantExtent, stageFor, type PlantExtent } from './plant-extent.ts';

/** How long machine registrations are gathered before the extent is measured again: a big plant registers thousands in a burst. */
const remeasureDelayMs = 250;

/**
 * Everything around the machines, sized to the plant: fog, lights and the key light's shadow
 * frustum, floor, grid, area plates and labels, and the camera's fit and limits. It starts from the
 * extent the plant file implies and follows the loaded models' bounds as they arrive.
 */
export function PlantStage({ machines, registry }: { machines: Machine[]; registry: MachineRegistry }) {
  const estimate = useMemo(() => plantExtent(machines), [machines]);
  const extent = useLoadedExtent(registry, estimate, machines.length);
  const maxTextureSize = useThree((state) => state.gl.capabilities.maxTextureSize);
  const stage = useMemo(() => stageFor(extent, maxTextureSize), [extent, maxTextureSize]);
  const plates = useMemo(() => areaPlates(machines, extent), [machines, extent]);
  const framed = useMemo(() => extentWithPlates(extent, plates), [extent, plates]);
  const areaHeights = useMemo(() => tallestByArea(machines, registry), [machines, registry, extent]);
  const light = useRef<DirectionalLight>(null);

  useLayoutEffect(() => {
    const key = light.current;
    if (!key) return;
    const { shadow } = stage;
    key.target.position.set(...stage.centre);
    key.target.updateMatrixWorld();
    const camera = key.shadow.camera;
    [camera.left, camera.right, camera.top, camera.bottom] = [-shadow.halfSize, shadow.halfSize, shadow.halfSize, -shadow.halfSize];
    [camera.near, camera.far] = [shadow.near, shadow.far];
    camera.updateProjectionMatrix();
    if (key.shadow.mapSize.x !== shadow.mapSize) {
      key.shadow.mapSize.set(shadow.mapSize, shadow.mapSize);
      // The renderer makes a new map of the new size only when the old one is gone.
      key.shadow.map?.dispose();
      key.shadow.map = null;
    }
    // Bias in world units: a texel is larger on a larger plant.
    key.shadow.normalBias = ((shadow.halfSize * 2) / shadow.mapSize) * 0.6;
    // The shadow map is drawn only when something changed (see ShadowRefresh): a moved light or a new map is such a change.
    markShadowStructureChanged();
  }, [stage]);

  return (
    <>
      <fog attach="fog" args={['#1b1f24', stage.fog.near, stage.fog.far]} />
      <hemisphereLight args={['#dfe8f2', '#3a3f46', 1.1]} />
      <directionalLight ref={light} position={stage.shadow.position} intensity={2.2} castShadow shadow-bias={-0.0004} />
      <directionalLight position={[-50, 30, -40]} intensity={0.5} />
      <mesh rotation-x={-Math.PI / 2} receiveShadow position={[stage.centre[0], stage.floor.y, stage.centre[2]]}>
        <planeGeometry args={[stage.floor.size, stage.floor.size]} />
        <meshStandardMaterial color="#3b4048" roughness={0.95} metalness={0} />
      </mesh>
      <gridHelper key={stage.grid.size} args={[stage.grid.size, stage.grid.divisions, '#5b636e', '#464d57']} position={[snap(stage.centre[0], stage.grid.size / stage.grid.divisions), stage.grid.y, snap(stage.centre[2], stage.grid.size / stage.grid.divisions)]} />
      <AreaFloors plates={plates} plateY={stage.plateY} areaHeights={areaHeights} />
      <CameraFitter extent={framed} stage={stage} />
    </>
  );
}

/**
 * The plant's extent: the plant file's estimate until models load, then the union of the loaded
 * machines' bounds with the estimate while some are still missing, and the loaded bounds alone once
 * every machine is in. Measured again a moment after registrations stop, not on each one.
 */
function useLoadedExtent(registry: MachineRegistry, estimate: PlantExtent, machineCount: number): PlantExtent {
  const [extent, setExtent] = useState(estimate);
  useEffect(() => {
    setExtent(estimate);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const measure = () => {
      timer = undefined;
      const bounds = new Box3();
      const sizes: number[] = [];
      let loaded = 0;
      for (const handle of registry.handles) {
        if (!handle || handle.bounds.isEmpty()) continue;
        loaded++;
        bounds.union(handle.bounds);
        sizes.push(Math.max(handle.bounds.max.x - handle.bounds.min.x, handle.bounds.max.z - handle.bounds.min.z));
      }
      if (loaded < machineCount) {
        bounds.expandByPoint(new Vector3(estimate.minX, 0, estimate.minZ)).expandByPoint(new Vector3(estimate.maxX, estimate.height, estimate.maxZ));
      }
      const next = extentOfBounds(bounds, estimate, sizes);
      setExtent((current) => (extentChanged(current, next) ? next : current));
    };
    const schedule = () => {
      if (timer === undefined) timer = setTimeout(measure, remeasureDelayMs);
    };
    schedule();
    const stop = registry.onChange(schedule);
    return () => {
      stop();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [registry, estimate, machineCount]);
  return extent;
}

/** Each area's tallest machine, from loaded bounds where there are some, else from the plant file's sizes. */
function tallestByArea(machines: Machine[], registry: MachineRegistry): Map<string, number> {
  const heights = new Map<string, number>();
  machines.forEach((machine, index) => {
    const handle = registry.handles[index];
    const stated = (machine.primitive?.size ?? (machine.model as { size?: [number, number, number] } | undefined)?.size)?.[1];
    const height = handle && !handle.bounds.isEmpty() ? handle.bounds.max.y : machine.position[1] + (stated ?? 4);
    heights.set(machine.area, Math.max(heights.get(machine.area) ?? 0, height));
  });
  return heights;
}

/** The multiple of `step` nearest `value`: the grid stays on round coordinates wherever the plant is. */
function snap(value: number, step: number): number {
  return Math.round(value / step) * step;
}
