import { Vector3 } from 'three';
import type { ToursDocument } from '../../src-main/common/tours/tours-schema.ts';
import type { Clock } from '../ui/format.ts';
import { formatMoment } from '../ui/format.ts';
import { drawLabel } from './burn-in.ts';
import { encodeWebm } from './encode-webm.ts';
import { currentSceneRenderer } from './picture-source.ts';
import { TourCameraPath } from './tour-camera-path.ts';

/** Widest video rendered: larger views are scaled down to it. */
const maxVideoWidth = 1920;

/** What a tour video is made from. */
export interface TourVideoRequest {
  tours: ToursDocument;
  tour: string;
  fps: number;
  /** The moment the view shows when rendering starts, burned in: the scene holds it while the tour is rendered. */
  startTime: number;
  clock: Clock;
  onProgress?(done: number, total: number): void;
  cancelled?(): boolean;
}

/** Lets the page breathe between frames (and the scene's own loop bring its data up to date). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Renders a tour as a WebM, frame by frame at `fps` whatever the machine's speed: each frame puts the
 * camera where the tour's flight is at that moment, renders the scene once and copies it onto the
 * video's canvas, then burns in the time (top left) and the step's caption (bottom). The scene's own
 * loop is held meanwhile: it would render every frame a second time, and the plant keeps the state of
 * the moment burned in.
 */
export async function renderTourVideo(request: TourVideoRequest): Promise<Blob> {
  const tour = request.tours.tours.find((candidate) => candidate.name === request.tour);
  if (!tour) throw new Error(`there is no tour named ${request.tour}`);
  const path = new TourCameraPath(tour.steps, request.tours.viewpoints);
  if (path.durationMs <= 0) throw new Error(`the tour ${request.tour} has no step with a saved viewpoint`);
  const renderer = currentSceneRenderer();
  const sample = renderer.renderOnce();
  const scale = Math.min(1, maxVideoWidth / sample.width);
  const width = Math.round(sample.width * scale);
  const height = Math.round(sample.height * scale);
  const frameCount = Math.round((path.durationMs / 1000) * request.fps);
  const position = new Vector3();
  const target = new Vector3();
  const textSize = Math.max(14, Math.round(height / 28));
  const releaseLoop = renderer.holdLoop();
  try {
    return await encodeWebm({
    width,
    height,
    fps: request.fps,
    frameCount,
    cancelled: request.cancelled,
    onProgress: (done) => request.onProgress?.(done, frameCount),
    drawFrame: async (index, context) => {
      await nextTask();
      const timeMs = (index * 1000) / request.fps;
      const caption = path.poseAt(timeMs, position, target);
      // Rendered and copied in one task: the drawing buffer is read before the browser may clear it.
      const frame = renderer.renderFrom(position, target);
      context.drawImage(frame, 0, 0, context.canvas.width, context.canvas.height);
      drawLabel(context, formatMoment(request.startTime, request.clock), textSize, textSize, textSize * 0.8, 'left');
      if (caption) drawLabel(context, caption.replaceAll('\n', ' '), context.canvas.width / 2, context.canvas.height - textSize * 1.2, textSize, 'center');
    },
    });
  } finally {
    releaseLoop();
  }
}
