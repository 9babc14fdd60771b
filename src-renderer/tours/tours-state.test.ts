import { beforeEach, describe, expect, it } from 'vitest';
import { freeName, kioskTourOf, pauseTour, playTour, stepTour, useToursState } from './tours-state.ts';

const document = {
  version: 1 as const,
  viewpoints: [
    { name: 'A', position: [0, 10, 20] as [number, number, number], target: [0, 0, 0] as [number, number, number] },
    { name: 'B', position: [5, 10, 20] as [number, number, number], target: [5, 0, 0] as [number, number, number] },
  ],
  tours: [{ name: 'Walk', steps: [{ viewpoint: 'A', caption: 'one', seconds: 2 }, { viewpoint: 'B', caption: 'two', seconds: 2 }, { viewpoint: 'A', caption: 'three', seconds: 2 }] }],
};

beforeEach(() => useToursState.setState({ document, playback: null }));

describe('tour playback', () => {
  it('moves step by step and ends after the last step; a kiosk loops back to the first', () => {
    playTour('Walk');
    expect(useToursState.getState().playback).toMatchObject({ tour: 'Walk', step: 0, paused: false, loop: false });
    stepTour(-1);
    expect(useToursState.getState().playback?.step).toBe(0);
    stepTour(1);
    stepTour(1);
    expect(useToursState.getState().playback?.step).toBe(2);
    stepTour(1);
    expect(useToursState.getState().playback).toBeNull();

    playTour('Walk', { loop: true, step: 2 });
    stepTour(1);
    expect(useToursState.getState().playback).toMatchObject({ step: 0, loop: true });
  });

  it('a paused tour stays paused while the presenter steps it, and showing a step again restarts it', () => {
    playTour('Walk');
    pauseTour();
    const before = useToursState.getState().playback!.serial;
    stepTour(1);
    expect(useToursState.getState().playback).toMatchObject({ step: 1, paused: true, serial: before + 1 });
    pauseTour();
    expect(useToursState.getState().playback?.paused).toBe(false);
  });

  it('names new viewpoints and tours apart, and reads a kiosk address\'s tour only when it is a valid name', () => {
    expect(freeName('Tour', [])).toBe('Tour');
    expect(freeName('Tour', ['Tour', 'Tour 2'])).toBe('Tour 3');
    expect(kioskTourOf('?token=abc&present=Morning+walk')).toBe('Morning walk');
    expect(kioskTourOf('?present=%07bell')).toBeNull();
    expect(kioskTourOf('?present=')).toBeNull();
    expect(kioskTourOf('')).toBeNull();
  });
});
