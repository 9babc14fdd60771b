import { useClock } from '../../state/clock-setting.ts';
import { formatMoment } from '../format.ts';
import { fractionOf, type TimeSpan } from '../timeline-geometry.ts';
import { jumpToAnnotation, useAnnotations } from './annotation-store.ts';
import './annotations.css';

/** Most markers drawn on the strip; beyond them the panel lists the rest. */
const maxMarkers = 500;

/** A mark on the timeline strip for each annotation in the visible window; a click jumps to its moment. */
export function AnnotationMarkers({ visible }: { visible: TimeSpan }) {
  const annotations = useAnnotations((state) => state.annotations);
  const clock = useClock();
  const shown = annotations.filter((annotation) => annotation.time >= visible.start && annotation.time <= visible.end).slice(0, maxMarkers);
  return (
    <>
      {shown.map((annotation) => {
        const label = `Note by ${annotation.author} at ${formatMoment(annotation.time, clock)}: ${annotation.text.slice(0, 200)}`;
        return (
          <button
            key={annotation.id}
            type="button"
            className="annotation-marker"
            data-annotation-time={annotation.time}
            style={{ left: `${fractionOf(visible, annotation.time) * 100}%` }}
            title={label}
            aria-label={label}
            onClick={() => jumpToAnnotation(annotation)}
          >
            ✎
          </button>
        );
      })}
    </>
  );
}
