import { useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import { Box3, Fog, type PerspectiveCamera, type Scene, Sphere, Vector3 } from 'three';
import { useViewStore } from '../state/view-store.ts';
import { clipPlanesFor, fogFor, type PlantExtent, type SceneStage } from './plant-extent.ts';

/** Direction the plant is viewed from after a fit: from the front-right, above. */
const viewDirection = new Vector3(0.3, 0.72, 1).normalize();

/** The orbit controls as drei's `makeDefault` leaves them in the store. */
interface OrbitControlsLike {
  target: Vector3;
  minDistance: number;
  maxDistance: number;
  update(): void;
  addEventListener(type: 'change' | 'start', listener: () => void): void;
  removeEventListener(type: 'change' | 'start', listener: () => void): void;
}

/**
 * Frames the whole plant and keeps the camera inside it. It fits the plant file's extent at once,
 * so a big plant is framed while its models still arrive, and fits again as the loaded extent grows
 * until the user moves the camera; *Fit plant* always fits. Zoom limits, pan bounds and the clip
 * planes follow the plant's size.
 */
export function CameraFitter({ extent, stage }: { extent: PlantExtent; stage: SceneStage }) {
  const camera = useThree((state) => state.camera) as PerspectiveCamera;
  const scene = useThree((state) => state.scene);
  const controls = useThree((state) => state.controls) as unknown as OrbitControlsLike | null;
  const size = useThree((state) => state.size);
  const invalidate = useThree((state) => state.invalidate);
  const fitRequest = useViewStore((state) => state.fitRequest);
  const userMoved = useRef(false);
  const fittedRequest = useRef(fitRequest);

  useEffect(() => {
    if (!controls) return;
    const onStart = () => (userMoved.current = true);
    const corrected = new Vector3();
    const onChange = () => {
      // Panning stops at the plant's bounds: the target is held inside, and the camera moves with it so the view does not turn.
      const { panBounds } = stage;
      const target = controls.target;
      corrected.set(clamp(target.x, panBounds.minX, panBounds.maxX), clamp(target.y, 0, panBounds.maxY), clamp(target.z, panBounds.minZ, panBounds.maxZ));
      if (!corrected.equals(target)) {
        camera.position.add(corrected).sub(target);
        target.copy(corrected);
      }
      followDistance(camera, scene, camera.position.distanceTo(target), stage);
    };
    controls.addEventListener('start', onStart);
    controls.addEventListener('change', onChange);
    return () => {
      controls.removeEventListener('start', onStart);
      controls.removeEventListener('change', onChange);
    };
  }, [controls, camera, scene, stage]);

  useEffect(() => {
    const asked = fitRequest !== fittedRequest.current;
    fittedRequest.current = fitRequest;
    if (asked) userMoved.current = false;
    else if (userMoved.current) {
      // The user has a view of their own: only the limits follow the new extent.
      if (controls) [controls.minDistance, controls.maxDistance] = [stage.camera.minDistance, Math.max(stage.camera.maxDistance, controls.maxDistance)];
      return;
    }
    const bounds = new Box3(new Vector3(extent.minX, 0, extent.minZ), new Vector3(extent.maxX, extent.height, extent.maxZ));
    const sphere = bounds.getBoundingSphere(new Sphere());
    const verticalHalf = (camera.fov * Math.PI) / 360;
    const horizontalHalf = Math.atan(Math.tan(verticalHalf) * (size.width / Math.max(1, size.height)));
    // Start from the bounding sphere (always fits), then pull in until the box's corners touch the frame.
    let distance = sphere.radius / Math.sin(Math.min(verticalHalf, horizontalHalf));
    for (let iteration = 0; iteration < 4; iteration++) {
      camera.position.copy(sphere.center).addScaledVector(viewDirection, distance);
      camera.lookAt(sphere.center);
      camera.updateMatrixWorld();
      const projected = projectedExtent(bounds, camera);
      // On screen, size goes as 1 / distance: scale the distance so the widest corner lands at 85 %.
      distance *= projected / 0.85;
    }
    camera.position.copy(sphere.center).addScaledVector(viewDirection, distance);
    camera.lookAt(sphere.center);
    followDistance(camera, scene, distance, stage);
    if (controls) {
      // A narrow window needs more room than the plant's size alone gives.
      controls.minDistance = Math.min(stage.camera.minDistance, distance);
      controls.maxDistance = Math.max(stage.camera.maxDistance, distance * 1.5);
      controls.target.copy(sphere.center);
      controls.update();
    }
    invalidate();
  }, [extent, stage, fitRequest, camera, scene, controls, size.width, size.height, invalidate]);

  return null;
}

/** Puts the near and far planes where the depth buffer serves this view best, and the fog where the plant stays in sight. */
function followDistance(camera: PerspectiveCamera, scene: Scene, distance: number, stage: SceneStage): void {
  if (scene.fog instanceof Fog) {
    const fog = fogFor(distance, stage);
    [scene.fog.near, scene.fog.far] = [fog.near, fog.far];
  }
  const { near, far } = clipPlanesFor(distance, stage);
  // Only a real change is worth a new projection matrix.
  if (Math.abs(near - camera.near) > camera.near * 0.1 || Math.abs(far - camera.far) > camera.far * 0.1) {
    camera.near = near;
    camera.far = far;
    camera.updateProjectionMatrix();
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
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
