import { describe, expect, it } from 'vitest';
import type { ToursDocument } from '../../src-main/common/tours/tours-schema.ts';
import { toursDocumentSchema } from '../../src-main/common/tours/tours-schema.ts';
import { momentToUse, setStepMoment } from './step-moment.ts';

function document(): ToursDocument {
  return {
    version: 1,
    viewpoints: [{ name: 'A', position: [0, 10, 20], target: [0, 0, 0] }],
    tours: [{ name: 'Walk', steps: [{ viewpoint: 'A', caption: 'one', seconds: 2 }, { viewpoint: 'A', caption: 'two', seconds: 2, from: 5, speed: 4 }] }],
  };
}

describe('a step\'s recorded moment', () => {
  it('is set to the whole millisecond shown, and the document stays one the tours file accepts', () => {
    const edited = document();
    expect(setStepMoment(edited, { tour: 'Walk', index: 0 }, 1_764_000_000_123.6)).toBe(true);
    expect(edited.tours[0]!.steps[0]).toEqual({ viewpoint: 'A', caption: 'one', seconds: 2, from: 1_764_000_000_124 });
    expect(toursDocumentSchema.parse(edited)).toEqual(edited);
  });

  it('is removed with its speed, leaving the other steps alone', () => {
    const edited = document();
    expect(setStepMoment(edited, { tour: 'Walk', index: 1 }, null)).toBe(true);
    expect(edited.tours[0]!.steps[1]).toEqual({ viewpoint: 'A', caption: 'two', seconds: 2 });
    expect(edited.tours[0]!.steps[0]).toEqual(document().tours[0]!.steps[0]);
  });

  it('changes nothing for a step or tour that is gone, or a moment that is none', () => {
    const edited = document();
    expect(setStepMoment(edited, { tour: 'Walk', index: 2 }, 10)).toBe(false);
    expect(setStepMoment(edited, { tour: 'Gone', index: 0 }, 10)).toBe(false);
    expect(setStepMoment(edited, { tour: 'Walk', index: 0 }, Number.NaN)).toBe(false);
    expect(setStepMoment(edited, { tour: 'Walk', index: 0 }, -1)).toBe(false);
    expect(edited).toEqual(document());
  });

  it('is taken from the view only while it replays', () => {
    expect(momentToUse({ mode: 'replay', time: 1000.4 })).toBe(1000);
    expect(momentToUse({ mode: 'live', time: 1000 })).toBeNull();
    expect(momentToUse(undefined)).toBeNull();
  });
});
