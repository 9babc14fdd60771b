import { ArrayBufferTarget, Muxer } from 'webm-muxer';

/** What a video is made of: its size, frame rate, how many frames, and how to draw each one. */
export interface VideoPlan {
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  /** Draws frame `index` onto the video's canvas (the same canvas every time). */
  drawFrame(index: number, context: CanvasRenderingContext2D): void | Promise<void>;
  /** Hears how many frames are done, to show progress. */
  onProgress?(done: number): void;
  /** Asked before each frame: true stops the render (it rejects). */
  cancelled?(): boolean;
}

/** Frames waiting in the encoder before drawing waits: bounds memory whatever the machine's speed. */
const maxQueuedFrames = 4;

/**
 * Renders a video frame by frame and encodes it as VP8 in WebM: frame `i` is stamped at i / fps
 * seconds, however long drawing it took, so the video plays at a steady rate on any machine.
 */
export async function encodeWebm(plan: VideoPlan): Promise<Blob> {
  if (typeof VideoEncoder === 'undefined') throw new Error('this browser cannot encode video (no WebCodecs VideoEncoder)');
  // VP8 wants even dimensions.
  const width = Math.max(2, Math.floor(plan.width / 2) * 2);
  const height = Math.max(2, Math.floor(plan.height / 2) * 2);
  const config: VideoEncoderConfig = { codec: 'vp8', width, height, framerate: plan.fps, bitrate: Math.round(width * height * plan.fps * 0.15) };
  const support = await VideoEncoder.isConfigSupported(config);
  if (!support.supported) throw new Error(`this browser cannot encode VP8 video at ${width}×${height}`);
  const target = new ArrayBufferTarget();
  const muxer = new Muxer({ target, video: { codec: 'V_VP8', width, height, frameRate: plan.fps } });
  let failure: Error | null = null;
  const encoder = new VideoEncoder({
    output: (chunk, meta) => {
      try {
        muxer.addVideoChunk(chunk, meta);
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
      }
    },
    error: (error) => {
      failure = error;
    },
  });
  encoder.configure(config);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('the browser gave no 2D canvas to draw the video on');
  const frameMicroseconds = 1_000_000 / plan.fps;
  try {
    for (let index = 0; index < plan.frameCount; index++) {
      if (failure) throw failure;
      if (plan.cancelled?.()) throw new Error('the video was cancelled');
      await plan.drawFrame(index, context);
      const frame = new VideoFrame(canvas, { timestamp: Math.round(index * frameMicroseconds), duration: Math.round(frameMicroseconds) });
      // A key frame every two seconds, so a player can seek.
      encoder.encode(frame, { keyFrame: index % Math.max(1, Math.round(plan.fps * 2)) === 0 });
      frame.close();
      while (encoder.encodeQueueSize > maxQueuedFrames) await new Promise((resolve) => encoder.addEventListener('dequeue', resolve, { once: true }));
      plan.onProgress?.(index + 1);
    }
    await encoder.flush();
    if (failure) throw failure;
  } finally {
    if (encoder.state !== 'closed') encoder.close();
  }
  muxer.finalize();
  return new Blob([target.buffer], { type: 'video/webm' });
}
