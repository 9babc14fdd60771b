import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import { Sphere, Vector3, type PerspectiveCamera } from 'three';
import { useViewStore } from '../state/view-store.ts';
import type { MachineRegistry } from './machine-registry.ts';

/** How long the camera takes to fly to a machine. */
const flightMs = 700;
/** The machine fills about this share of the view's height after the flight. */
const framedShare = 0.35;
/** Closest the camera comes, in metres: a small machine is seen with some floor around it. */
const minimumDistance = 12;

/** The orbit controls as drei's `makeDefault` leaves them in the store. */
interface OrbitControlsLike {
  target: Vector3;
  minDistance: number;
  maxDistance: number;
  update(): void;
  dispatchEvent(event: { type: 'start' }): void;
}

/** A flight under way: from where to where, and when it began. */
interface Flight {
  fromTarget: Vector3;
  toTarget: Vector3;
  fromPosition: Vector3;
  toPosition: Vector3;
  startedAt: number;
}

const sphere = new Sphere();
const direction = new Vector3();

/**
 * Flies the camera to a machine when the view asks for it (an alarm jump, a shared link): the orbit
 * target moves to the machine and the camera keeps its angle, at a distance that frames the machine.
 * A machine whose model is still loading is flown to once it is in the scene.
 */
export function MachineFocuser({ registry }: { registry: MachineRegistry }) {
  const camera = useThree((state) => state.camera) as PerspectiveCamera;
  const controls = useThree((state) => state.controls) as unknown as OrbitControlsLike | null;
  const invalidate = useThree((state) => state.invalidate);
  const request = useViewStore((state) => state.focusRequest);
  const flight = useRef<Flight | null>(null);

  useEffect(() => {
    if (!request || !controls) return;
    const fly = (): boolean => {
      const handle = registry.handles[request.machine];
      if (!handle || handle.bounds.isEmpty()) return false;
      handle.bounds.getBoundingSphere(sphere);
      const halfHeight = (camera.fov * Math.PI) / 360;
      const wanted = Math.max(minimumDistance, sphere.radius / Math.tan(halfHeight * framedShare * 2));
      const distance = Math.min(controls.maxDistance, Math.max(controls.minDistance, wanted));
      direction.copy(camera.position).sub(controls.target).normalize();
      flight.current = {
        fromTarget: controls.target.clone(),
        toTarget: sphere.center.clone(),
        fromPosition: camera.position.clone(),
        toPosition: sphere.center.clone().addScaledVector(direction, distance),
        startedAt: performance.now(),
      };
      // The camera is now where the user asked it to be: the plant fit must not take it back when more models load.
      controls.dispatchEvent({ type: 'start' });
      invalidate();
      return true;
    };
    if (fly()) return;
    return registry.onChange(() => void fly());
  }, [request, controls, camera, registry, invalidate]);

  useFrame(() => {
    const current = flight.current;
    if (!current || !controls) return;
    const progress = Math.min(1, (performance.now() - current.startedAt) / flightMs);
    // Ease in and out, so the flight neither jolts nor stops short.
    const eased = progress < 0.5 ? 2 * progress * progress : 1 - (-2 * progress + 2) ** 2 / 2;
    controls.target.lerpVectors(current.fromTarget, current.toTarget, eased);
    camera.position.lerpVectors(current.fromPosition, current.toPosition, eased);
    controls.update();
    if (progress >= 1) flight.current = null;
    invalidate();
  });

  return null;
}
