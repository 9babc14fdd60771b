import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import type { MachineRegistry } from './machine-registry.ts';

/** How long machine registrations are gathered before the programs are compiled: a big plant registers its kinds in a burst. */
const compileDelayMs = 100;

/**
 * Compiles the shader programs of everything in the scene as machines arrive, hidden layers too (the
 * see-through and far levels a machine moves to later), so no frame stalls compiling one: the
 * compile is started between frames, so the driver has linked them by the time a frame draws with
 * them. A failure is reported and the programs compile on first draw instead.
 */
export function ProgramWarmup({ registry }: { registry: MachineRegistry }) {
  const renderer = useThree((state) => state.gl);
  const scene = useThree((state) => state.scene);
  const camera = useThree((state) => state.camera);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const report = (error: unknown) => console.error(`Twinline: compiling the scene's shaders ahead of drawing failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const compile = () => {
      timer = undefined;
      try {
        // The synchronous form: it only starts the compiles (three reads their results on first use), and
        // the asynchronous one merely polls for them, with a warning each time where the driver cannot say.
        renderer.compile(scene, camera);
      } catch (error) {
        report(error);
      }
    };
    const schedule = () => {
      if (timer === undefined) timer = setTimeout(compile, compileDelayMs);
    };
    schedule();
    const stop = registry.onChange(schedule);
    return () => {
      stop();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [renderer, scene, camera, registry]);
  return null;
}
