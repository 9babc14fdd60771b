import { useRef, useState } from 'react';
import { useClockSetting } from '../state/clock-setting.ts';
import { useViewStore } from '../state/view-store.ts';
import { useToursState } from '../tours/tours-state.ts';
import { fileNameTime } from '../ui/format.ts';
import { renderTourVideo } from './render-tour-video.ts';

/** Frame rates offered: 10 for a quick draft, 25 and 30 for a meeting room. */
const frameRates = [10, 25, 30] as const;

/**
 * Save Video: the status bar's button and its small panel, which renders a saved tour frame by frame
 * as a WebM (the time and captions burned in) and downloads it, with progress and a cancel.
 */
export function SaveVideoButton() {
  // A count, not the list: a selector that made a new empty list each time would render forever.
  const tourCount = useToursState((state) => state.document?.tours.length ?? 0);
  const [open, setOpen] = useState(false);
  if (tourCount === 0) return null;
  return (
    <>
      <button type="button" aria-pressed={open} onClick={() => setOpen(!open)} title="Render a tour as a video (WebM) at a steady frame rate">
        Save Video
      </button>
      {open ? <SaveVideoPanel onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function SaveVideoPanel({ onClose }: { onClose: () => void }) {
  const document = useToursState((state) => state.document);
  const [tour, setTour] = useState(document?.tours[0]?.name ?? '');
  const [fps, setFps] = useState<number>(25);
  const [progress, setProgress] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const cancelled = useRef(false);
  const rendering = progress !== null;
  const render = () => {
    if (!document) return;
    cancelled.current = false;
    setProblem(null);
    setProgress('starting…');
    const player = useViewStore.getState().player;
    const clock = useClockSetting.getState().clock;
    const startTime = player?.mode === 'replay' ? player.time : Date.now();
    renderTourVideo({
      tours: document,
      tour,
      fps,
      startTime,
      clock,
      cancelled: () => cancelled.current,
      onProgress: (done, total) => setProgress(`${done} of ${total} frames`),
    })
      .then((blob) => {
        const link = window.document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = `${tour.replace(/[^A-Za-z0-9_-]+/g, '-') || 'tour'}-${fileNameTime(startTime, clock)}.webm`;
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
        Tour{' '}
        <select value={tour} disabled={rendering} onChange={(event) => setTour(event.target.value)}>
          {(document?.tours ?? []).map((candidate) => (
            <option key={candidate.name} value={candidate.name}>
              {candidate.name}
            </option>
          ))}
        </select>
      </label>
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
          <button type="button" onClick={render} disabled={!tour}>
            Render
          </button>
          <button type="button" onClick={onClose} aria-label="Close Save Video">
            ✕
          </button>
        </>
      )}
      {problem ? (
        <span role="alert" className="save-video-problem">
          {problem}
        </span>
      ) : null}
    </section>
  );
}
