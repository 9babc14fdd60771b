import { useEffect, useMemo } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { Health, healthStates } from '../../src-main/common/health.ts';
import { appearanceOf, legendOrder } from '../scene/health-palette.ts';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { useThrottledVersion } from '../telemetry/use-throttled-version.ts';
import { indexAreas, summariseAreas } from './area-health.ts';
import { stopPresenting, tourSteps, useToursState } from './tours-state.ts';

/** How often the area summary is brought up to date: a room reads it, not a control loop. */
const summaryIntervalMs = 1000;

/** Each area's machines by state, from the view's telemetry at most once a second. */
function AreaSummary({ description, buffer }: { description: PlantDescription; buffer: FrameBuffer }) {
  useThrottledVersion(buffer, summaryIntervalMs);
  const index = useMemo(() => indexAreas(description.plant.machines), [description]);
  const summary = summariseAreas(index, buffer.getState().machineHealth);
  return (
    <section className="tour-area-summary" aria-label="Areas by state">
      {summary.map((area) => (
        <div key={area.area} className="tour-area" data-area={area.area}>
          <span className="tour-area-name">{area.area}</span>
          {legendOrder
            .filter((code) => (area.counts[healthStates[code]] ?? 0) > 0)
            .map((code) => {
              const appearance = appearanceOf(code);
              return (
                <span key={code} className="tour-area-count" data-state={healthStates[code]} style={{ borderColor: appearance.css }} title={`${area.counts[healthStates[code]]} ${appearance.label}`}>
                  <span aria-hidden="true" style={{ color: appearance.css }}>
                    {appearance.symbol}
                  </span>
                  {area.counts[healthStates[code]]} {code === Health.ok ? 'ok' : appearance.label.toLowerCase()}
                </span>
              );
            })}
        </div>
      ))}
    </section>
  );
}

/** The states a room needs to tell apart, with their colour and symbol. */
function SimpleLegend() {
  return (
    <section className="tour-legend" aria-label="Legend">
      {[Health.ok, Health.warn, Health.alarm, Health.offline].map((code) => {
        const appearance = appearanceOf(code);
        return (
          <span key={code} className="tour-legend-item">
            <span className="tour-legend-swatch" style={{ background: appearance.css }} aria-hidden="true">
              {appearance.symbol}
            </span>
            {appearance.label}
          </span>
        );
      })}
    </section>
  );
}

/** The caption of the step being played, large; with where in the tour it is. */
export function TourCaption() {
  const playback = useToursState((state) => state.playback);
  const presenting = useToursState((state) => state.presenting);
  useToursState((state) => state.document);
  if (!playback) return null;
  const steps = tourSteps(playback.tour) ?? [];
  const step = steps[playback.step];
  if (!step) return null;
  return (
    <div className={`tour-caption${presenting ? ' tour-caption-large' : ''}`} role="status" aria-live="polite" data-tour-step={playback.step}>
      {step.caption === '' ? null : <p className="tour-caption-text">{step.caption}</p>}
      <small className="tour-caption-where">
        {playback.tour} · {playback.step + 1} / {steps.length}
        {playback.paused ? ' · paused' : ''}
      </small>
    </div>
  );
}

/**
 * Presentation mode over the scene: the plant's name, each area's health, a simple legend and the
 * tour's caption, with every panel of the view hidden (by a class on the page, see tours.css).
 */
export function PresentationOverlay({ description, buffer }: { description: PlantDescription; buffer: FrameBuffer }) {
  const presenting = useToursState((state) => state.presenting);
  const kioskTour = useToursState((state) => state.kioskTour);
  const hasKioskTour = useToursState((state) => kioskTour === null || (state.document?.tours.some((tour) => tour.name === kioskTour) ?? false));
  useEffect(() => {
    document.body.classList.toggle('presenting', presenting);
    return () => document.body.classList.remove('presenting');
  }, [presenting]);
  // Leaving full screen (the browser's own Escape) leaves presentation mode too, except on a kiosk.
  useEffect(() => {
    const onChange = () => {
      try {
        if (!document.fullscreenElement && useToursState.getState().presenting && useToursState.getState().kioskTour === null) stopPresenting();
      } catch (error) {
        console.error('Twinline: leaving presentation mode with full screen failed', error);
      }
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  if (!presenting) return null;
  return (
    <div className="tour-presentation" aria-label="Presentation">
      <header className="tour-presentation-title">{description.plant.name}</header>
      <AreaSummary description={description} buffer={buffer} />
      <SimpleLegend />
      {hasKioskTour ? null : <p className="tour-waiting">Waiting for the tour “{kioskTour}” to be saved…</p>}
    </div>
  );
}
