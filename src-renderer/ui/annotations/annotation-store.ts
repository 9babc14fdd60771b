import { create } from 'zustand';
import type { Annotation } from '../../../src-main/common/annotations/annotation.ts';
import { maxAnnotationsPerRead } from '../../../src-main/common/annotations/annotation.ts';
import { currentHost } from '../../host-link.ts';
import { focusMachine, reportProblem, useViewStore } from '../../state/view-store.ts';

/** What the view knows of the annotations: those of the recorded range, and whether it may add one. */
interface AnnotationState {
  annotations: Annotation[];
  canAdd: boolean;
  panelOpen: boolean;
  /** The desktop menu's *Save Incident…* asked for the form; the form takes (and clears) the request. */
  incidentFormAsked: boolean;
}

/** The annotations shown in the panel and on the timeline; they change seldom, so React state holds them. */
export const useAnnotations = create<AnnotationState>(() => ({ annotations: [], canAdd: false, panelOpen: false, incidentFormAsked: false }));

/** Takes annotations into the store: new ones added, known ones (same id) kept once, in time order, bounded. */
export function mergeAnnotations(known: readonly Annotation[], incoming: readonly Annotation[]): Annotation[] {
  const byId = new Map(known.map((annotation) => [annotation.id, annotation]));
  for (const annotation of incoming) byId.set(annotation.id, annotation);
  return [...byId.values()].sort((a, b) => a.time - b.time || a.createdAt - b.createdAt).slice(-maxAnnotationsPerRead);
}

/** Opens or closes the annotations panel. */
export function showAnnotations(open = !useAnnotations.getState().panelOpen): void {
  useAnnotations.setState({ panelOpen: open });
}

/** Opens the notes panel with the *Save incident* form (the desktop menu's File → Save Incident…). */
export function askToSaveIncident(): void {
  useAnnotations.setState({ panelOpen: true, incidentFormAsked: true });
}

/** Moves the view to an annotation's moment and, when it names one, selects and frames its machine. */
export function jumpToAnnotation(annotation: Annotation): void {
  const host = currentHost();
  if (!host) return;
  host
    .request('player', { action: 'seek', time: annotation.time })
    .then((player) => useViewStore.setState({ player }))
    .catch((error: unknown) => reportProblem(`Replay: ${error instanceof Error ? error.message : String(error)}`));
  if (annotation.machine !== null) focusMachine(annotation.machine);
}

/** Adds an annotation through the host; resolves with it, or rejects with the host's reason. */
export async function addAnnotation(request: { time: number; machine: number | null; author: string; text: string }): Promise<Annotation> {
  const host = currentHost();
  if (!host) throw new Error('the host is not connected');
  const added = await host.request('addAnnotation', request);
  useAnnotations.setState((state) => ({ annotations: mergeAnnotations(state.annotations, [added]) }));
  return added;
}
