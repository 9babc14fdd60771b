import type { Vector3 } from 'three';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';

/** What the scene lets pictures and videos do: render one frame now, from its camera or from a pose. */
export interface SceneRenderer {
  /** Renders the view from its camera and hands back the canvas holding that frame (at its full drawing size). */
  renderOnce(): HTMLCanvasElement;
  /** Renders the view once from `position` looking at `target`, leaving the view's camera where it was. */
  renderFrom(position: Vector3, target: Vector3): HTMLCanvasElement;
  /** Stops the scene's own render loop (a video renders every frame itself); returns the function that restarts it. */
  holdLoop(): () => void;
  /** While the loop is held: runs the scene's per-frame updates (telemetry, animations) `seconds` after the last, renders, and hands back the canvas. */
  advanceAndRender(seconds: number): HTMLCanvasElement;
  /** The telemetry the scene shows. */
  readonly buffer: FrameBuffer;
}

let sceneRenderer: SceneRenderer | null = null;

/** Registers the scene's renderer (the scene mounts one); returns the function that removes it. */
export function registerPictureSource(renderer: SceneRenderer): () => void {
  sceneRenderer = renderer;
  return () => {
    if (sceneRenderer === renderer) sceneRenderer = null;
  };
}

/** The scene's renderer; throws while the 3D view is not mounted. */
export function currentSceneRenderer(): SceneRenderer {
  if (!sceneRenderer) throw new Error('the 3D view is not ready yet');
  return sceneRenderer;
}

/**
 * The view as a PNG at the canvas's full resolution (its CSS size × devicePixelRatio): one frame is
 * rendered and encoded in the same task, so the picture never depends on the drawing buffer surviving
 * until later.
 */
export function takePicture(): Promise<{ blob: Blob; width: number; height: number }> {
  if (!sceneRenderer) return Promise.reject(new Error('the 3D view is not ready yet'));
  const canvas = sceneRenderer.renderOnce();
  const { width, height } = canvas;
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve({ blob, width, height }) : reject(new Error('the browser could not encode the picture'))), 'image/png');
  });
}
