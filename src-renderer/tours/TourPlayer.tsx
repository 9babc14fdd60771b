import { useEffect } from 'react';
import { flyToViewpoint, pauseTour, playTour, showMoment, stepTour, stopPresenting, stopTour, tourSteps, useToursState } from './tours-state.ts';

/** Whether keys typed into `target` belong to it (text fields, selects), never to the tour. */
function keysBelongTo(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return target.tagName === 'INPUT' && !['button', 'submit', 'reset', 'checkbox'].includes((target as HTMLInputElement).type);
}

/**
 * Plays the tour the store names: each step flies to its viewpoint, shows its moment of the
 * recording when it has one, and stays its seconds (paused, it waits). Keys: PageDown/PageUp (a
 * clicker) next/previous; in presentation mode also →/← and Space to pause, which the timeline
 * otherwise uses; Escape stops. A kiosk (`?present=TOUR`) starts its tour once the tours are loaded
 * and loops it; the host going away and coming back does not stop it.
 */
export function TourPlayer() {
  const playback = useToursState((state) => state.playback);
  const document = useToursState((state) => state.document);
  const kioskTour = useToursState((state) => state.kioskTour);

  // A step shown: fly there, and show its moment; its timer runs while not paused.
  const serial = playback?.serial;
  useEffect(() => {
    const current = useToursState.getState().playback;
    if (!current) return;
    const step = tourSteps(current.tour)?.[current.step];
    const viewpoint = step && useToursState.getState().document?.viewpoints.find((candidate) => candidate.name === step.viewpoint);
    if (!step || !viewpoint) return void stopTour();
    // The flight takes at most half the stay, so every step is seen standing still.
    flyToViewpoint(viewpoint, step.from === undefined, (step.seconds * 1000) / 2);
    if (step.from !== undefined) void showMoment(step.from, step.speed ?? 1);
  }, [serial]);

  const paused = playback?.paused ?? true;
  useEffect(() => {
    const current = useToursState.getState().playback;
    if (!current || current.paused) return;
    const step = tourSteps(current.tour)?.[current.step];
    if (!step) return;
    const timer = setTimeout(() => {
      try {
        stepTour(1);
      } catch (error) {
        console.error(`Twinline: moving the tour "${current.tour}" on from step ${current.step + 1} failed`, error);
      }
    }, step.seconds * 1000);
    return () => clearTimeout(timer);
  }, [serial, paused]);

  // A kiosk starts its tour as soon as it exists (it may be saved after the kiosk opened).
  useEffect(() => {
    if (kioskTour === null || useToursState.getState().playback) return;
    if (document?.tours.some((tour) => tour.name === kioskTour && tour.steps.length > 0)) playTour(kioskTour, { loop: true });
  }, [kioskTour, document]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || keysBelongTo(event.target)) return;
      const { playback: current, presenting } = useToursState.getState();
      if (!current && !presenting) return;
      let handled = true;
      try {
        if (event.key === 'PageDown' || (presenting && event.key === 'ArrowRight')) stepTour(1);
        else if (event.key === 'PageUp' || (presenting && event.key === 'ArrowLeft')) stepTour(-1);
        else if (presenting && event.key === ' ') pauseTour();
        else if (event.key === 'Escape') {
          if (presenting) stopPresenting();
          else stopTour();
        } else handled = false;
      } catch (error) {
        console.error(`Twinline: the tour's ${event.key === ' ' ? 'Space' : event.key} key failed`, error);
      }
      // Taken here, before the timeline's keys (which listen later and skip what is taken).
      if (handled) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);

  return null;
}
