import { randomUUID } from 'node:crypto';
import { addAnnotationSchema, type AddAnnotation, type Annotation } from '../../common/annotations/annotation.ts';
import { RateLimit } from '../../common/rate-limit.ts';
import type { BackgroundRecorder } from '../recording/background-recorder.ts';

/** What the annotation service needs of its host. */
export interface AnnotationServiceOptions {
  machineCount: number;
  /** The recording annotations go into; without one, none can be added (it would be lost). */
  recorder: Pick<BackgroundRecorder, 'onAnnotations'> | undefined;
  clock?: () => number;
  /** Where a failure to tell a view is reported (the host's log). */
  log?: (line: string) => void;
}

/** Annotations kept in memory until their file surely holds them (a commit is once a second). */
const maxRecent = 1000;
/** Notes every view together may add at once, then one every `hostNoteEveryMs`: a bound on what views write into the recording. */
export const hostNoteBurst = 60;
/** See `hostNoteBurst`. */
export const hostNoteEveryMs = 500;

/**
 * Annotations of a live host: each added one is checked, given an id and the time it was written,
 * handed to the recording (written with its next commit) and sent to every view at once. Reads go to
 * the recording (in each view's replay worker); the ones added lately are kept here too, so a view that
 * asks right after adding one sees it before its commit.
 */
export class AnnotationService {
  private readonly options: AnnotationServiceOptions;
  private readonly recent: Annotation[] = [];
  private readonly listeners = new Set<(added: Annotation[]) => void>();
  private readonly rate: RateLimit;

  constructor(options: AnnotationServiceOptions) {
    this.options = options;
    this.rate = new RateLimit({ burst: hostNoteBurst, everyMs: hostNoteEveryMs, clock: options.clock });
  }

  /** Adds a view's annotation; throws with the reason when it is not valid or there is no recording to keep it in. */
  add(request: unknown): Annotation {
    const parsed = addAnnotationSchema.safeParse(request);
    if (!parsed.success) throw new Error(`the annotation is not valid: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'it'}: ${issue.message}`).join('; ')}`);
    const wanted: AddAnnotation = parsed.data;
    if (wanted.machine !== null && wanted.machine >= this.options.machineCount) throw new Error(`the plant has no machine ${wanted.machine}`);
    if (!this.options.recorder) throw new Error('this host is not recording: an annotation would be lost');
    if (!this.rate.take()) throw new Error(`notes are coming faster than the host takes them; try again in ${Math.ceil(this.rate.waitMs() / 1000)} s`);
    const annotation: Annotation = { id: randomUUID(), time: wanted.time, machine: wanted.machine, author: wanted.author, text: wanted.text, createdAt: Math.round((this.options.clock ?? Date.now)()) };
    this.options.recorder.onAnnotations([annotation]);
    this.recent.push(annotation);
    if (this.recent.length > maxRecent) this.recent.shift();
    for (const listener of this.listeners) {
      try {
        listener([annotation]);
      } catch (error) {
        // One view's listener failing never stops the others from hearing of the annotation.
        (this.options.log ?? console.error)(`Twinline: telling a view of a new annotation failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return annotation;
  }

  /** The annotations added lately that are pinned from `from` to `to`. */
  recentBetween(from: number, to: number): Annotation[] {
    return this.recent.filter((annotation) => annotation.time >= from && annotation.time <= to);
  }

  /** Calls `listener` with each annotation added from now on; returns the unsubscribe function. */
  subscribe(listener: (added: Annotation[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
