import { useFrame } from '@react-three/fiber';
import { useEffect, useMemo, useRef } from 'react';
import { useForecasts } from '../ui/forecast/forecast-store.ts';
import type { MachineRegistry } from './machine-registry.ts';
import { createPredictedMarkerMesh, placePredictedMarkers } from './predicted-marker-mesh.ts';

/** How often the markers are placed again at most: forecasts come once a second, machines move only in the editor. */
const placeEveryMs = 250;

/**
 * An amber ring hovering above every machine whose forecast reaches a limit within its horizon
 * (`useForecasts`' `predicted`): one instanced mesh, so one draw call however many machines are
 * predicted. Placed again when the forecasts or the machines change, at most every `placeEveryMs`;
 * between placements a frame only sets the rings' pulsing opacity.
 */
export function PredictedMarkers({ registry, machineCount }: { registry: MachineRegistry; machineCount: number }) {
  const mesh = useMemo(() => createPredictedMarkerMesh(machineCount), [machineCount]);
  useEffect(
    () => () => {
      mesh.geometry.dispose();
      mesh.material.dispose();
      mesh.dispose();
    },
    [mesh],
  );

  const dirty = useRef(true);
  const placedAt = useRef(-Infinity);
  useEffect(() => {
    const markDirty = () => void (dirty.current = true);
    const stopForecasts = useForecasts.subscribe(markDirty);
    const stopRegistry = registry.onChange(markDirty);
    markDirty();
    return () => {
      stopForecasts();
      stopRegistry();
    };
  }, [registry, mesh]);

  useFrame(({ clock }) => {
    try {
      const now = performance.now();
      // Machines move while the plant is edited: rings that show are placed again on the throttle too.
      if ((dirty.current || mesh.count > 0) && now - placedAt.current >= placeEveryMs) {
        placedAt.current = now;
        dirty.current = false;
        placePredictedMarkers(mesh, registry, useForecasts.getState().predicted);
      }
      if (mesh.count > 0) mesh.material.opacity = 0.65 + 0.3 * Math.sin(clock.elapsedTime * 4);
    } catch (error) {
      console.error(`Twinline: placing the predicted markers failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  });

  return <primitive object={mesh} />;
}
