import { useRef, useState } from 'react';
import { useClockSetting } from '../state/clock-setting.ts';
import { useViewStore } from '../state/view-store.ts';
import { useToursState } from '../tours/tours-state.ts';
import { fileNameTime } from '../ui/format.ts';
import { rangeVideoFrameCount, renderRangeVideo } from './render-range-video.ts';
import { renderTourVideo } from './render-tour-video.ts';

/** Frame rates offered: 10 for a quick draft, 25 and 30 for a meeting room. */
const frameRates = [10, 25, 30] as const;
/** Speeds of a range's video: recorded seconds per video second. */
const rangeSpeeds = [1, 2, 5, 10, 30, 60] as const;
/** The choice that renders the timeline's selected range rather than a tour. */
const rangeChoice = '\u0000range';

/**
 * Save Video: the status bar's button and its small panel, which renders a saved tour or the timeline's
 * selected range frame by frame as a WebM (the time, captions or plant name burned in) and downloads
 * it, with progress and a cancel.
 */
export function SaveVideoButton() {
  // A count, not the list: a selector that made a new empty list each time would render forever.
  const tourCount = useToursState((state) => state.document?.tours.length ?? 0);
  const replayable = useViewStore((state) => state.player?.capabilities.replay ?? false);
  const [open, setOpen] = useState(false);
  if (tourCount === 0 && !replayable) return null;
  return (
    <>
      <button type="button" aria-pressed={open} onClick={() => setOpen(!open)} title="Render a tour or a replayed range as a video (WebM) at a steady frame rate">
        Save Video
      </button>
      {open ? <SaveVideoPanel onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function SaveVideoPanel({ onClose }: { onClose: () => void }) {
  const document = useToursState((state) => state.document);
  const [tour, setTour] = useState(document?.tours[0]?.name ?? rangeChoice);
  const [fps, setFps] = useState<number>(25);
  const [speed, setSpeed] = useState<number>(1);
  const selectedRange = useViewStore((state) => state.selectedRange);
  const plantName = useViewStore((state) => state.description?.plant.name ?? 'Twinline');
  const [progress, setProgress] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const cancelled = useRef(false);
  const rendering = progress !== null;
  const ofRange = tour === rangeChoice;
  const rangeFrames = selectedRange ? rangeVideoFrameCount(selectedRange, fps, speed) : 0;
  const render = () => {
    if (!ofRange && !document) return;
    cancelled.current = false;
    setProblem(null);
    setProgress('starting…');
    const player = useViewStore.getState().player;
    const clock = useClockSetting.getState().clock;
    const startTime = ofRange && selectedRange ? selectedRange.start : player?.mode === 'replay' ? player.time : Date.now();
    const onProgress = (done: number, total: number) => setProgress(`${done} of ${total} frames`);
    const video = ofRange
      ? renderRangeVideo({ range: selectedRange ?? { start: 0, end: 0 }, fps, speed, plantName, clock, cancelled: () => cancelled.current, onProgress })
      : renderTourVideo({ tours: document!, tour, fps, startTime, clock, cancelled: () => cancelled.current, onProgress });
    const baseName = (ofRange ? plantName : tour).replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'video';
    video
      .then((blob) => {
        const link = window.document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = `${baseName}-${fileNameTime(startTime, clock)}.webm`;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 30_000);
        setProgress(null);
      })
      .catch((error: unknown) => {
        setProgress(null);
        setProblem(error instanceof Error ? error.message : String(error));
      });
  };
  return (
    <section className="save-video-panel" aria-label="Save Video">
      <label>
        Video of{' '}
        <select value={tour} disabled={rendering} onChange={(event) => setTour(event.target.value)}>
          {(document?.tours ?? []).map((candidate) => (
            <option key={candidate.name} value={candidate.name}>
              Tour {candidate.name}
            </option>
          ))}
          <option value={rangeChoice}>Selected range</option>
        </select>
      </label>
      {ofRange ? (
        <label>
          Speed{' '}
          <select value={speed} disabled={rendering} onChange={(event) => setSpeed(Number(event.target.value))}>
            {rangeSpeeds.map((rate) => (
              <option key={rate} value={rate}>
                {rate}×
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        Frames per second{' '}
        <select value={fps} disabled={rendering} onChange={(event) => setFps(Number(event.target.value))}>
          {frameRates.map((rate) => (
            <option key={rate} value={rate}>
              {rate}
            </option>
          ))}
        </select>
      </label>
      {rendering ? (
        <>
          <span role="status" className="save-video-progress">
            Rendering {progress}
          </span>
          <button type="button" onClick={() => (cancelled.current = true)}>
            Cancel
          </button>
        </>
      ) : (
        <>
          <button type="button" onClick={render} disabled={!tour || (ofRange && rangeFrames < 1)}>
            Render
          </button>
          <button type="button" onClick={onClose} aria-label="Close Save Video">
            ✕
          </button>
        </>
      )}
      {ofRange && !rendering ? (
        <span className="save-video-plan" data-frames={rangeFrames}>
          {selectedRange ? `${rangeFrames} frames (${(rangeFrames / fps).toFixed(1)} s)` : 'Shift-drag on the timeline to choose a range'}
        </span>
      ) : null}
      {problem ? (
        <span role="alert" className="save-video-problem">
          {problem}
        </span>
      ) : null}
    </section>
  );
}
