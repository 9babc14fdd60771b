import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { OrbitUpdateGate } from './orbit-update-gate.ts';

/**
 * The scene's orbit controls (drag to orbit, right-drag to pan, wheel to zoom, with damping), made the
 * scene's default controls. Unlike drei's, which update every frame, they are updated only when
 * `OrbitUpdateGate` says a frame needs it: a plant watched on a wall screen, with nobody at the
 * controls, spends nothing on them.
 */
export function IdleOrbitControls({ maxPolarAngle }: { maxPolarAngle: number }) {
  const camera = useThree((state) => state.camera);
  const element = useThree((state) => state.events.connected ?? state.gl.domElement) as HTMLElement;
  const invalidate = useThree((state) => state.invalidate);
  const set = useThree((state) => state.set);
  const get = useThree((state) => state.get);
  const controls = useMemo(() => new OrbitControls(camera), [camera]);
  const gate = useMemo(() => new OrbitUpdateGate(controls, camera), [controls, camera]);

  useEffect(() => {
    controls.enableDamping = true;
    controls.maxPolarAngle = maxPolarAngle;
  }, [controls, maxPolarAngle]);

  useEffect(() => {
    controls.connect(element);
    // As drei's controls do: a camera move asks for a frame, whichever way the frame loop runs.
    const onChange = () => invalidate();
    controls.addEventListener('change', onChange);
    return () => {
      controls.removeEventListener('change', onChange);
      controls.dispose();
    };
  }, [controls, element, invalidate]);
  useEffect(() => gate.listen(), [gate]);

  useEffect(() => {
    const previous = get().controls;
    set({ controls });
    return () => set({ controls: previous });
  }, [controls, get, set]);

  // Before the other frame callbacks (priority −1), as drei's controls do: they read the camera as moved.
  useFrame(() => gate.frame(), -1);

  return null;
}
