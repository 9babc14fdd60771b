import type { PlayerCommand, PlayerState } from '../../src-main/common/contract.ts';
import { currentHost } from '../host-link.ts';
import { useViewStore } from '../state/view-store.ts';
import { applyFrame, isFrameBatch, type FrameBuffer } from '../telemetry/frame-buffer.ts';
import type { Clock } from '../ui/format.ts';
import { formatMoment } from '../ui/format.ts';
import { useForecasts } from '../ui/forecast/forecast-store.ts';
import { drawLabel } from './burn-in.ts';
import { encodeWebm } from './encode-webm.ts';
import { currentSceneRenderer } from './picture-source.ts';

/** Widest video rendered: larger views are scaled down to it. */
const maxVideoWidth = 1920;
/** Longest video made of a range: ten minutes of frames bounds the time and memory a render takes. */
export const maxRangeVideoSeconds = 600;
/** How long one frame's moment may take to reach the view (a seek on a loaded host) before the video stops with an error. */
const momentTimeoutMs = 15_000;

/** What a video of a replayed range is made from. */
export interface RangeVideoRequest {
  /** The recorded range (ms since the epoch). */
  range: { start: number; end: number };
  fps: number;
  /** Recorded seconds per video second (1 to 60). */
  speed: number;
  plantName: string;
  clock: Clock;
  onProgress?(done: number, total: number): void;
  cancelled?(): boolean;
}

/** How many frames a range's video has at `fps` and `speed`: its recorded length played `speed` times faster. */
export function rangeVideoFrameCount(range: { start: number; end: number }, fps: number, speed: number): number {
  return Math.round(((range.end - range.start) / 1000 / speed) * fps);
}

/** Rejects after `ms` with `message`, unless `work` settles first. */
function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Sends a player command through the host link, as the timeline does, and shows the player's new state. */
async function command(action: PlayerCommand): Promise<PlayerState> {
  const host = currentHost();
  if (!host) throw new Error('the link to the host is down');
  const player = await host.request('player', action);
  useViewStore.setState({ player });
  return player;
}

/**
 * Seeks the player to `time` and waits until the frame buffer holds that moment. The host sends a seek's
 * frame before its answer, but only when something changed (and a view that fell behind gets a snapshot
 * later instead): when the buffer's time is not the player's yet, the moment's snapshot is read and applied.
 */
async function showMoment(buffer: FrameBuffer, time: number, clock: Clock): Promise<void> {
  const host = currentHost();
  if (!host) throw new Error('the link to the host is down');
  const reach = async () => {
    const player = await command({ action: 'seek', time: Math.round(time) });
    if (buffer.getState().hostTime === player.time) return;
    const snapshot: unknown = await host.request('getSnapshot', {});
    if (!isFrameBatch(snapshot)) throw new Error('the host sent a snapshot of unexpected shape');
    if (snapshot.time !== player.time) throw new Error(`the view shows ${formatMoment(snapshot.time, clock)} instead of ${formatMoment(player.time, clock)} (was the player moved meanwhile?)`);
    applyFrame(buffer, snapshot, performance.now());
  };
  await within(reach(), momentTimeoutMs, `the view did not reach ${formatMoment(time, clock)} within ${momentTimeoutMs / 1000} s`);
  await within(forecastsRead(), momentTimeoutMs, `the forecasts at ${formatMoment(time, clock)} were not read within ${momentTimeoutMs / 1000} s`);
}

/** Resolves once the forecasts are no longer pending: after a jump the host reads them after the seek's answer, and the scene's markers draw them. */
function forecastsRead(): Promise<void> {
  return new Promise((resolve) => {
    if (!useForecasts.getState().pending) return resolve();
    const stop = useForecasts.subscribe((state) => {
      if (state.pending) return;
      stop();
      resolve();
    });
  });
}

/** Puts the player back where it was: live, or replaying at its moment (playing again if it played). */
async function restorePlayer(before: PlayerState): Promise<void> {
  if (before.mode === 'live') {
    await command({ action: 'live' });
    return;
  }
  await command({ action: 'seek', time: Math.round(before.time) });
  if (before.playing) await command({ action: 'play' });
}

/**
 * Renders a recorded range as a WebM, frame by frame at `fps` whatever the machine's speed: frame i
 * shows the moment `start + i / fps × speed` — the player is seeked there through the host and the
 * frame buffer waited for, then the scene's per-frame updates run once and it renders — with that
 * moment (on the user's clock) and the plant's name burned in. The scene's own loop is held meanwhile;
 * the player is left where it was (mode and time) when the video is done, fails or is cancelled.
 */
export async function renderRangeVideo(request: RangeVideoRequest): Promise<Blob> {
  const { range, fps, speed, clock } = request;
  if (!(range.end > range.start)) throw new Error('choose a range on the timeline first (Shift-drag over it)');
  const frameCount = rangeVideoFrameCount(range, fps, speed);
  if (frameCount < 1) throw new Error('the range is too short for one frame at this speed');
  if (frameCount > maxRangeVideoSeconds * fps) throw new Error(`the video would last ${Math.round(frameCount / fps)} s, longer than ${maxRangeVideoSeconds / 60} minutes: choose a shorter range or a higher speed`);
  const before = useViewStore.getState().player;
  if (!before?.capabilities.replay) throw new Error('there is no recording to replay');
  const renderer = currentSceneRenderer();
  const sample = renderer.renderOnce();
  const scale = Math.min(1, maxVideoWidth / sample.width);
  const width = Math.round(sample.width * scale);
  const height = Math.round(sample.height * scale);
  const textSize = Math.max(14, Math.round(height / 28));
  const recordedMsPerFrame = (1000 * speed) / fps;
  const releaseLoop = renderer.holdLoop();
  let failure: unknown = null;
  try {
    if (before.mode !== 'replay' || before.playing) await command({ action: 'pause' });
    return await encodeWebm({
      width,
      height,
      fps,
      frameCount,
      cancelled: request.cancelled,
      onProgress: (done) => request.onProgress?.(done, frameCount),
      drawFrame: async (index, context) => {
        const moment = Math.min(range.end, range.start + index * recordedMsPerFrame);
        await showMoment(renderer.buffer, moment, clock);
        // Rendered and copied in one task: the drawing buffer is read before the browser may clear it.
        const frame = renderer.advanceAndRender(1 / fps);
        context.drawImage(frame, 0, 0, context.canvas.width, context.canvas.height);
        drawLabel(context, formatMoment(renderer.buffer.getState().hostTime, clock), textSize, textSize, textSize * 0.8, 'left');
        drawLabel(context, request.plantName, context.canvas.width - textSize, textSize, textSize * 0.8, 'right');
      },
    });
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    releaseLoop();
    try {
      await restorePlayer(before);
    } catch (error) {
      // The render's own failure says more; a failed restore is only news when the video was fine.
      const message = `the player could not be put back where it was: ${error instanceof Error ? error.message : String(error)}`;
      if (failure === null) throw new Error(message);
      console.warn(`Save Video: ${message}`);
    }
  }
}
