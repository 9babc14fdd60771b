import { create } from 'zustand';
import type { ToursDocument, TourStep, Viewpoint } from '../../src-main/common/tours/tours-schema.ts';
import { tourNamePattern } from '../../src-main/common/tours/tour-name.ts';
import { currentHost } from '../host-link.ts';
import { reportProblem, reportRequestProblem, selectMachine, useViewStore } from '../state/view-store.ts';

/** A point in the world, in metres (y up). */
export type Point = [number, number, number];

/** Where the camera is and what it looks at, as the scene reports it. */
export interface CameraPose {
  position: Point;
  target: Point;
}

/** A tour being played: which, at which step, and whether it waits. */
export interface TourPlayback {
  tour: string;
  step: number;
  paused: boolean;
  /** Starts again from the first step after the last (a kiosk). */
  loop: boolean;
  /** Grows with every step shown, so showing the same step again restarts its timer and flight. */
  serial: number;
}

/** The viewpoints and tours as the view holds them, the tour being played and presentation mode. */
export interface ToursState {
  /** The plant's tours; null until the host has answered (or when it has no tours file). */
  document: ToursDocument | null;
  writable: boolean;
  /** Why the tours file could not be used, or why this view has none. */
  problem: string | null;
  panelOpen: boolean;
  presenting: boolean;
  /** The tour a kiosk address (`?present=TOUR`) loops, or null. */
  kioskTour: string | null;
  playback: TourPlayback | null;
  /** A request to fly the camera; `serial` grows with each, so flying twice to one place flies twice. */
  flight: (CameraPose & { serial: number; withinMs?: number }) | null;
}

/** The view's tours store. */
export const useToursState = create<ToursState>(() => ({
  document: null,
  writable: false,
  problem: null,
  panelOpen: false,
  presenting: false,
  kioskTour: null,
  playback: null,
  flight: null,
}));

let readCamera: (() => CameraPose | null) | undefined;

/** The scene says how to read its camera (or stops saying, with undefined). */
export function setCameraReader(reader: (() => CameraPose | null) | undefined): void {
  readCamera = reader;
}

/** Asks the host for the tours; a view without a tours file shows none. */
export async function loadTours(): Promise<void> {
  const host = currentHost();
  if (!host) return;
  try {
    const view = await host.request('getTours', {});
    useToursState.setState({ document: view.document, writable: view.writable, problem: view.problem });
  } catch (error) {
    useToursState.setState({ document: null, writable: false, problem: error instanceof Error ? error.message : String(error) });
  }
}

/** Counts saves, so that the host's answer to an older save never replaces a newer edit shown meanwhile. */
let lastSave = 0;

/** Saves the whole document through the host and shows what it holds after; a refused save is reported and the host's version shown again. */
export async function saveTours(document: ToursDocument): Promise<boolean> {
  const host = currentHost();
  if (!host) return false;
  const save = ++lastSave;
  // Shown at once, so editing does not wait for the host; corrected below if the host refuses.
  useToursState.setState({ document });
  try {
    const view = await host.request('saveTours', document);
    if (save === lastSave) useToursState.setState({ document: view.document, writable: view.writable, problem: view.problem });
    return true;
  } catch (error) {
    reportRequestProblem('Saving the tours', error);
    if (save === lastSave) await loadTours();
    return false;
  }
}

/** Applies a change to a copy of the document and saves it. */
export function changeTours(change: (document: ToursDocument) => void): Promise<boolean> {
  const current = useToursState.getState().document;
  if (!current) return Promise.resolve(false);
  const next = structuredClone(current);
  change(next);
  return saveTours(next);
}

/** The first free name of the form `base`, `base 2`, `base 3`, … among `taken`. */
export function freeName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let number = 2; ; number++) if (!taken.includes(`${base} ${number}`)) return `${base} ${number}`;
}

/** The current camera as a viewpoint named `name`, with the selected machine and (in replay) the shown time. */
export function currentViewpoint(name: string): Viewpoint | null {
  const pose = readCamera?.();
  if (!pose) return null;
  const view = useViewStore.getState();
  const viewpoint: Viewpoint = { name, position: pose.position.map(round) as Point, target: pose.target.map(round) as Point };
  const machine = view.selectedMachine === null ? undefined : view.description?.plant.machines[view.selectedMachine];
  if (machine) viewpoint.machine = machine.id;
  if (view.player?.mode === 'replay') viewpoint.time = Math.round(view.player.time);
  return viewpoint;
}

/** Centimetres are plenty for a camera, and keep the file readable. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Saves the current camera as a new viewpoint; returns its name, or null when there is no camera yet. */
export async function saveCurrentViewpoint(wanted: string): Promise<string | null> {
  const document = useToursState.getState().document;
  if (!document) return null;
  const name = freeName(wanted.trim() || 'Viewpoint', document.viewpoints.map((viewpoint) => viewpoint.name));
  const viewpoint = currentViewpoint(name);
  if (!viewpoint) return null;
  await changeTours((next) => void next.viewpoints.push(viewpoint));
  return name;
}

/** Renames a viewpoint, and every step that visits it. */
export function renameViewpoint(from: string, to: string): Promise<boolean> {
  return changeTours((document) => {
    for (const viewpoint of document.viewpoints) if (viewpoint.name === from) viewpoint.name = to;
    for (const tour of document.tours) for (const step of tour.steps) if (step.viewpoint === from) step.viewpoint = to;
  });
}

/** Deletes a viewpoint and the steps that visit it. */
export function deleteViewpoint(name: string): Promise<boolean> {
  return changeTours((document) => {
    document.viewpoints = document.viewpoints.filter((viewpoint) => viewpoint.name !== name);
    for (const tour of document.tours) tour.steps = tour.steps.filter((step) => step.viewpoint !== name);
  });
}

/** Flies the camera to a viewpoint (in at most `withinMs`): its machine is selected and its time shown, when it has them. */
export function flyToViewpoint(viewpoint: Viewpoint, withTime = true, withinMs?: number): void {
  const serial = (useToursState.getState().flight?.serial ?? 0) + 1;
  useToursState.setState({ flight: { position: viewpoint.position, target: viewpoint.target, serial, withinMs } });
  const view = useViewStore.getState();
  if (viewpoint.machine !== undefined) {
    const index = view.description?.plant.machines.findIndex((machine) => machine.id === viewpoint.machine) ?? -1;
    if (index >= 0) selectMachine(index);
  }
  if (withTime && viewpoint.time !== undefined) void showMoment(viewpoint.time);
}

/** Replays from a moment (paused unless `speed` is given, then playing at it). */
export async function showMoment(time: number, speed?: number): Promise<void> {
  const host = currentHost();
  const player = useViewStore.getState().player;
  if (!host || !player?.capabilities.replay) return;
  try {
    let shown = await host.request('player', { action: 'replay', time });
    if (speed !== undefined) {
      shown = await host.request('player', { action: 'speed', speed });
      shown = await host.request('player', { action: 'play' });
    }
    useViewStore.setState({ player: shown });
  } catch (error) {
    reportRequestProblem('Tour', error);
  }
}

/** The steps of a tour by name, or undefined. */
export function tourSteps(name: string): TourStep[] | undefined {
  return useToursState.getState().document?.tours.find((tour) => tour.name === name)?.steps;
}

/** Plays a tour from its first step (or `step`). */
export function playTour(tour: string, options: { loop?: boolean; step?: number } = {}): void {
  const steps = tourSteps(tour);
  if (!steps || steps.length === 0) {
    reportProblem(`The tour "${tour}" has no steps to play`);
    return;
  }
  const serial = (useToursState.getState().playback?.serial ?? 0) + 1;
  useToursState.setState({ playback: { tour, step: Math.min(options.step ?? 0, steps.length - 1), paused: false, loop: options.loop ?? false, serial } });
}

/** Moves the playing tour by `delta` steps (a paused tour stays paused: the presenter steps by hand); past the last step it ends (or starts over when looping). */
export function stepTour(delta: number): void {
  const { playback } = useToursState.getState();
  if (!playback) return;
  const steps = tourSteps(playback.tour);
  if (!steps || steps.length === 0) return stopTour();
  const next = playback.step + delta;
  if (next >= steps.length && !playback.loop) return stopTour();
  const step = next >= steps.length ? 0 : Math.max(0, next);
  useToursState.setState({ playback: { ...playback, step, serial: playback.serial + 1 } });
}

/** Pauses or resumes the playing tour. */
export function pauseTour(paused = !useToursState.getState().playback?.paused): void {
  const { playback } = useToursState.getState();
  if (playback) useToursState.setState({ playback: { ...playback, paused } });
}

/** Stops the tour. */
export function stopTour(): void {
  useToursState.setState({ playback: null });
}

/** Enters presentation mode: panels hidden, full screen when the browser allows it. */
export function startPresenting(): void {
  useToursState.setState({ presenting: true, panelOpen: false });
  // Allowed only from a user's gesture: a kiosk's browser is full screen by its own setting instead.
  document.documentElement.requestFullscreen?.().catch((error: unknown) => console.info(`Twinline: full screen was not allowed (${error instanceof Error ? error.message : String(error)})`));
}

/** Leaves presentation mode (and full screen, and the tour). */
export function stopPresenting(): void {
  useToursState.setState({ presenting: false, playback: null, kioskTour: null });
  if (document.fullscreenElement) document.exitFullscreen().catch((error: unknown) => console.warn(`Twinline: cannot leave full screen: ${error instanceof Error ? error.message : String(error)}`));
}

/** The tour a kiosk address names (`?present=TOUR`), or null. */
export function kioskTourOf(search: string): string | null {
  const tour = new URLSearchParams(search).get('present');
  return tour !== null && tourNamePattern.test(tour) ? tour.trim() : null;
}
