import type { Annotation } from '../../common/annotations/annotation.ts';
import type { AnnotationList, HostMethods, TwinlineSource } from '../../common/contract.ts';
import { RateLimit } from '../../common/rate-limit.ts';
import type { AnnotationService } from './annotation-service.ts';

/** Notes one view may add at once, then one every `viewNoteEveryMs`: a person never needs more, a script flooding the recording is refused. */
export const viewNoteBurst = 10;
/** See `viewNoteBurst`. */
export const viewNoteEveryMs = 3_000;

/**
 * A view's source that also adds annotations to the live host's recording and streams the ones any
 * view adds. Reading them stays the source's own (its replay worker reads the recording); the ones
 * added lately are merged in, so a view sees its note before the recording's next commit.
 */
export function withAnnotations(source: TwinlineSource, service: AnnotationService, clock?: () => number): TwinlineSource {
  const rate = new RateLimit({ burst: viewNoteBurst, everyMs: viewNoteEveryMs, clock });
  const added: Partial<TwinlineSource> = {
    annotations: async (params: HostMethods['getAnnotations']['params']): Promise<AnnotationList> => {
      const recorded = source.annotations ? (await source.annotations(params)).annotations : [];
      const byId = new Map<string, Annotation>(recorded.map((annotation) => [annotation.id, annotation]));
      for (const annotation of service.recentBetween(params.from, params.to)) byId.set(annotation.id, annotation);
      const annotations = [...byId.values()].sort((a, b) => a.time - b.time || a.createdAt - b.createdAt);
      return { annotations, canAdd: true };
    },
    addAnnotation: (params) => {
      if (!rate.take()) throw new Error(`this view adds notes too fast; try again in ${Math.ceil(rate.waitMs() / 1000)} s`);
      return service.add(params);
    },
    subscribe: ((stream, listener) => {
      if (stream === 'annotations') return service.subscribe(listener as (added: Annotation[]) => void);
      return source.subscribe(stream, listener);
    }) as TwinlineSource['subscribe'],
  };
  // A proxy rather than a copy, so the source's own methods (and those it lacks) pass through as they are.
  return new Proxy(source, {
    get(target, property) {
      if (typeof property === 'string' && Object.hasOwn(added, property)) return added[property as keyof TwinlineSource];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
