import { healthStates } from '../../src-main/common/health.ts';
import { appearanceOf, legendOrder, relativeLuminance } from '../scene/health-palette.ts';

const cues: Record<string, string> = {
  alarm: 'red, pulsing',
  warn: 'amber glow',
  offline: 'dark, see-through',
  bad: 'violet, see-through',
  stale: 'grey, see-through',
  unknown: 'pale, see-through',
  ok: 'model colours',
};

/** What each state looks like, colour and second cue. */
export function Legend() {
  return (
    <section className="legend" aria-label="Legend">
      {legendOrder.map((code) => {
        const appearance = appearanceOf(code);
        const state = healthStates[code];
        return (
          <div key={state} className="legend-row">
            <span className="legend-swatch" style={{ background: appearance.css, color: relativeLuminance(appearance.css) < 0.18 ? '#f3f5f7' : '#111' }} aria-hidden="true">
              {appearance.symbol}
            </span>
            <span>{appearance.label}</span>
            <small>{cues[state]}</small>
          </div>
        );
      })}
    </section>
  );
}
