import type { TourStep } from '../../src-main/common/tours/tours-schema.ts';
import { useClock } from '../state/clock-setting.ts';
import { useViewStore } from '../state/view-store.ts';
import { formatMoment } from '../ui/format.ts';
import { momentToUse, setStepMoment } from './step-moment.ts';
import { changeTours } from './tours-state.ts';

/**
 * A step's recorded moment: shown on the chosen clock and removable; while replaying, "Use the shown
 * moment" gives the step the moment on screen, so the tour shows the plant as it was then.
 */
export function StepMomentControl({ tour, index, step, writable }: { tour: string; index: number; step: TourStep; writable: boolean }) {
  const clock = useClock();
  const replaying = useViewStore((state) => state.player?.mode === 'replay');
  const change = (time: number | null) => void changeTours((document) => void setStepMoment(document, { tour, index }, time));
  return (
    <div className="tour-step-moment">
      {step.from !== undefined ? (
        <>
          <time dateTime={new Date(step.from).toISOString()} data-step-moment={step.from} title="The step replays the recording from this moment">
            ⏱ {formatMoment(step.from, clock)}
            {step.speed !== undefined && step.speed !== 1 ? ` at ${step.speed}×` : ''}
          </time>
          {writable ? (
            <button type="button" aria-label={`Remove the moment of step ${index + 1}`} title="The step shows the plant as it is when played" onClick={() => change(null)}>
              ✕
            </button>
          ) : null}
        </>
      ) : (
        <small className="tour-step-moment-none">{replaying ? 'Live when played' : 'Live when played (replay to pick a moment)'}</small>
      )}
      {writable && replaying ? (
        <button
          type="button"
          aria-label={`Use the shown moment for step ${index + 1}`}
          title="The step will replay the recording from the moment shown now"
          onClick={() => {
            const time = momentToUse(useViewStore.getState().player);
            if (time !== null) change(time);
          }}
        >
          Use the shown moment
        </button>
      ) : null}
    </div>
  );
}
