import { useEffect } from 'react';
import type { Annotation } from '../../../src-main/common/annotations/annotation.ts';
import { currentHost } from '../../host-link.ts';
import { reportRequestProblem, useViewStore } from '../../state/view-store.ts';
import { mergeAnnotations, useAnnotations } from './annotation-store.ts';

/** How often the recorded annotations are read again: others may add some to another host's file, and the range grows. */
const refreshMs = 5000;

/**
 * Keeps the annotation store fed while the view is linked: the recorded range's annotations, read
 * again every few seconds and whenever the recording shown changes, and each one any view adds, as
 * the host streams it (subscribing again after each reconnect).
 */
export function useAnnotationFeed(): void {
  const linked = useViewStore((state) => state.hostLink === 'connected');
  const replaying = useViewStore((state) => state.player?.replaying ?? null);
  const hasRecording = useViewStore((state) => state.player?.capabilities.replay ?? false);
  useEffect(() => {
    const host = linked && hasRecording ? currentHost() : undefined;
    if (!host) return;
    let cancelled = false;
    const take = (added: Annotation[]) => {
      try {
        useAnnotations.setState((state) => ({ annotations: mergeAnnotations(state.annotations, added) }));
      } catch (error) {
        console.error(`Twinline: showing an annotation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    };
    const load = () => {
      const range = useViewStore.getState().player?.range;
      if (!range) return;
      host
        .request('getAnnotations', { from: Math.max(0, Math.floor(range.start)), to: Math.ceil(Math.max(range.end, Date.now())) })
        .then((list) => !cancelled && useAnnotations.setState({ annotations: mergeAnnotations([], list.annotations), canAdd: list.canAdd }))
        .catch((error: unknown) => reportRequestProblem('Annotations', error));
    };
    // Subscribe before asking: the channel is ordered, so nothing added meanwhile is missed.
    const stop = host.subscribe('annotations', take);
    load();
    const timer = setInterval(load, refreshMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
      stop();
    };
  }, [linked, hasRecording, replaying]);
}
