import { useThree } from '@react-three/fiber';
import { useEffect, useState } from 'react';
import { Box3, type PerspectiveCamera, Sphere, Vector3 } from 'three';
import { useViewStore } from '../state/view-store.ts';
import type { MachineRegistry } from './machine-registry.ts';

/** Direction the plant is viewed from after a fit: from the front-right, above. */
const viewDirection = new Vector3(0.3, 0.72, 1).normalize();

/** Frames the whole plant once every machine has loaded, and again whenever the user asks. */
export function CameraFitter({ registry, machineCount }: { registry: MachineRegistry; machineCount: number }) {
  const camera = useThree((state) => state.camera) as PerspectiveCamera;
  const controls = useThree((state) => state.controls) as unknown as { target: Vector3; update(): void } | null;
  const size = useThree((state) => state.size);
  const fitRequest = useViewStore((state) => state.fitRequest);
  const [loaded, setLoaded] = useState(0);

  useEffect(() => {
    const count = () => setLoaded(registry.handles.filter(Boolean).length);
    // Machines already registered before this effect ran would otherwise never be counted.
    count();
    return registry.onChange(count);
  }, [registry]);
  const allLoaded = loaded >= machineCount;

  useEffect(() => {
    if (!allLoaded && fitRequest === 0) return;
    const bounds = new Box3();
    for (const handle of registry.handles) if (handle) bounds.union(handle.bounds);
    if (bounds.isEmpty()) return;
    const sphere = bounds.getBoundingSphere(new Sphere());
    const verticalHalf = (camera.fov * Math.PI) / 360;
    const horizontalHalf = Math.atan(Math.tan(verticalHalf) * (size.width / Math.max(1, size.height)));
    // Start from the bounding sphere (always fits), then pull in until the box's corners touch the frame.
    let distance = sphere.radius / Math.sin(Math.min(verticalHalf, horizontalHalf));
    for (let iteration = 0; iteration < 4; iteration++) {
      camera.position.copy(sphere.center).addScaledVector(viewDirection, distance);
      camera.lookAt(sphere.center);
      camera.updateMatrixWorld();
      const extent = projectedExtent(bounds, camera);
      // On screen, size goes as 1 / distance: scale the distance so the widest corner lands at 85 %.
      distance *= extent / 0.85;
    }
    camera.position.copy(sphere.center).addScaledVector(viewDirection, distance);
    camera.lookAt(sphere.center);
    camera.updateProjectionMatrix();
    if (controls) {
      controls.target.copy(sphere.center);
      controls.update();
    }
  }, [allLoaded, fitRequest, registry, camera, controls, size.width, size.height]);

  return null;
}

const corner = new Vector3();

/** Largest |x| or |y| of the box's corners in normalised device coordinates. */
function projectedExtent(bounds: Box3, camera: PerspectiveCamera): number {
  let extent = 0;
  for (let index = 0; index < 8; index++) {
    corner.set(index & 1 ? bounds.max.x : bounds.min.x, index & 2 ? bounds.max.y : bounds.min.y, index & 4 ? bounds.max.z : bounds.min.z).project(camera);
    extent = Math.max(extent, Math.abs(corner.x), Math.abs(corner.y));
  }
  return extent;
}
