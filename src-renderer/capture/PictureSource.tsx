import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import { registerPictureSource } from './picture-source.ts';

/** Inside the scene's canvas: lets Save Picture render the current camera's frame on demand. */
export function PictureSource() {
  const gl = useThree((state) => state.gl);
  const scene = useThree((state) => state.scene);
  const camera = useThree((state) => state.camera);
  useEffect(
    () =>
      registerPictureSource(() => {
        gl.render(scene, camera);
        return gl.domElement;
      }),
    [gl, scene, camera],
  );
  return null;
}
