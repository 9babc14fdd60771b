import type { ToursDocument, TourStep } from '../../src-main/common/tours/tours-schema.ts';

/** Where a step lives: the tour's name and the step's place in it. */
export interface StepAddress {
  tour: string;
  index: number;
}

/** The step at `address` in `document`, or undefined when the tour or step is gone (edited meanwhile). */
function stepAt(document: ToursDocument, address: StepAddress): TourStep | undefined {
  return document.tours.find((tour) => tour.name === address.tour)?.steps[address.index];
}

/**
 * Gives a step a recorded moment to show (whole milliseconds, as the tours file keeps them), or takes
 * it away with null; taking it away drops the step's speed too, which means nothing without a moment.
 * Changes `document` in place and says whether the step was there to change.
 */
export function setStepMoment(document: ToursDocument, address: StepAddress, time: number | null): boolean {
  const step = stepAt(document, address);
  if (!step) return false;
  if (time === null) {
    delete step.from;
    delete step.speed;
    return true;
  }
  if (!Number.isFinite(time) || time < 0) return false;
  step.from = Math.round(time);
  return true;
}

/** The moment a step can take from the view: the moment shown while replaying, none while live (live is no moment to go back to). */
export function momentToUse(player: { mode: string; time: number } | null | undefined): number | null {
  return player?.mode === 'replay' && Number.isFinite(player.time) ? Math.round(player.time) : null;
}
