import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import { Quaternion, Vector3 } from 'three';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { registerPictureSource } from './picture-source.ts';

/** Inside the scene's canvas: lets Save Picture and Save Video render frames on demand. */
export function PictureSource({ buffer }: { buffer: FrameBuffer }) {
  const gl = useThree((state) => state.gl);
  const scene = useThree((state) => state.scene);
  const camera = useThree((state) => state.camera);
  const get = useThree((state) => state.get);
  useEffect(() => {
    // Made once: a video renders hundreds of frames through these.
    const savedPosition = new Vector3();
    const savedQuaternion = new Quaternion();
    return registerPictureSource({
      renderOnce: () => {
        gl.render(scene, camera);
        return gl.domElement;
      },
      renderFrom: (position, target) => {
        savedPosition.copy(camera.position);
        savedQuaternion.copy(camera.quaternion);
        camera.position.copy(position);
        camera.lookAt(target);
        camera.updateMatrixWorld();
        gl.render(scene, camera);
        camera.position.copy(savedPosition);
        camera.quaternion.copy(savedQuaternion);
        camera.updateMatrixWorld();
        return gl.domElement;
      },
      holdLoop: () => {
        const { frameloop, setFrameloop } = get();
        setFrameloop('never');
        return () => setFrameloop(frameloop);
      },
      advanceAndRender: (seconds) => {
        const state = get();
        // With the loop held, advance takes the clock's new time: useFrame callbacks see a delta of `seconds`.
        state.advance(state.clock.elapsedTime + seconds);
        return gl.domElement;
      },
      buffer,
    });
  }, [gl, scene, camera, get, buffer]);
  return null;
}
