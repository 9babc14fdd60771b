import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import { Vector3 } from 'three';
import { CameraFlight } from './camera-flight.ts';
import { setCameraReader, useToursState } from './tours-state.ts';

/** The orbit controls as drei's `makeDefault` leaves them in the store. */
interface OrbitControlsLike {
  target: Vector3;
  update(): void;
  dispatchEvent(event: { type: 'start' }): void;
}

/**
 * Inside the canvas: lets the tours read the camera (to save a viewpoint) and flies it smoothly to
 * a viewpoint when asked, moving the orbit target with it, allocating nothing per frame.
 */
export function TourCamera() {
  const camera = useThree((state) => state.camera);
  const controls = useThree((state) => state.controls) as unknown as OrbitControlsLike | null;
  const invalidate = useThree((state) => state.invalidate);
  const flightRequest = useToursState((state) => state.flight);
  const flight = useRef(new CameraFlight());

  useEffect(() => {
    setCameraReader(() => {
      const target = controls?.target;
      if (!target) return null;
      return { position: [camera.position.x, camera.position.y, camera.position.z], target: [target.x, target.y, target.z] };
    });
    return () => setCameraReader(undefined);
  }, [camera, controls]);

  useEffect(() => {
    if (!flightRequest || !controls) return;
    flight.current.start(camera.position, controls.target, flightRequest.position, flightRequest.target, performance.now(), flightRequest.withinMs);
    // The camera is now where the tour asks it to be: the plant fit must not take it back when more models load.
    controls.dispatchEvent({ type: 'start' });
    invalidate();
  }, [flightRequest, controls, camera, invalidate]);

  useFrame(() => {
    if (!flight.current.active || !controls) return;
    flight.current.step(camera.position, controls.target, performance.now());
    camera.lookAt(controls.target);
    controls.update();
    invalidate();
  });

  return null;
}
