/** Renders the view once, now, and hands back the canvas holding that frame (at its full drawing size). */
export type RenderOnce = () => HTMLCanvasElement;

let renderOnce: RenderOnce | null = null;

/** Registers the scene's one-frame renderer (the scene mounts one); returns the function that removes it. */
export function registerPictureSource(render: RenderOnce): () => void {
  renderOnce = render;
  return () => {
    if (renderOnce === render) renderOnce = null;
  };
}

/**
 * The view as a PNG at the canvas's full resolution (its CSS size × devicePixelRatio): one frame is
 * rendered and encoded in the same task, so the picture never depends on the drawing buffer surviving
 * until later.
 */
export function takePicture(): Promise<{ blob: Blob; width: number; height: number }> {
  if (!renderOnce) return Promise.reject(new Error('the 3D view is not ready yet'));
  const canvas = renderOnce();
  const { width, height } = canvas;
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve({ blob, width, height }) : reject(new Error('the browser could not encode the picture'))), 'image/png');
  });
}
