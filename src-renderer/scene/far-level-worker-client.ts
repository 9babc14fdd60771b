import type { FarLevelInput, SimplifiedFarLevels } from './simplify-far-levels.ts';

/** What the page asks the far-level worker: simplify these triangle lists at every far level. */
export interface FarLevelRequest {
  id: number;
  inputs: FarLevelInput[];
}

/** The worker's answer to one request: the simplified lists, or why there are none. */
export type FarLevelAnswer = { id: number; levels: SimplifiedFarLevels } | { id: number; error: string };

/** Longest one model's far levels may take: minutes would mean a worker that hangs, not a large model (seconds). */
export const farLevelTimeLimitMs = 120_000;

/** The name of each request's entry in the browser's performance timeline (`performance.measure`). */
export const farLevelMeasureName = 'twinline far levels';

/** Workers started again after one failed: a worker that broke once (a model that crashed it) should not cost every later model its far levels, but one that can never start is given up. */
export const farLevelWorkerRestarts = 3;

let worker: Worker | undefined;
let failures = 0;
/** Why the worker is no longer started, once it failed more than `farLevelWorkerRestarts` times: later requests fail at once with it. */
let broken: string | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (levels: SimplifiedFarLevels) => void; reject: (error: Error) => void }>();

function failAll(reason: string): void {
  if (++failures > farLevelWorkerRestarts) broken = reason;
  worker?.terminate();
  worker = undefined;
  for (const { reject } of pending.values()) reject(new Error(reason));
  pending.clear();
}

function farLevelWorker(): Worker {
  if (worker) return worker;
  // A file of the app (bundled by Vite), so the page's policy (`worker-src 'self'`) allows it.
  const started = new Worker(new URL('./far-level-worker.ts', import.meta.url), { type: 'module', name: 'twinline far levels' });
  started.onmessage = (event: MessageEvent<unknown>) => {
    try {
      const answer = event.data as Partial<Record<'id' | 'error' | 'levels', unknown>> | null;
      // Not trusted: an answer that names no request cannot be given to one, so every waiting kind is told.
      if (typeof answer !== 'object' || answer === null || typeof answer.id !== 'number') throw new Error('an answer that names no request');
      const waiting = pending.get(answer.id);
      if (!waiting) return;
      pending.delete(answer.id);
      // The levels are checked against the model by the caller (`checkedFarLevels`), which knows its batches.
      if ('error' in answer) waiting.reject(new Error(String(answer.error).slice(0, 500)));
      else waiting.resolve(answer.levels as SimplifiedFarLevels);
    } catch (error) {
      failAll(`the far-level worker sent ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  started.onerror = (event) => failAll(`the far-level worker stopped: ${event.message || 'it could not start'}`);
  started.onmessageerror = () => failAll('the far-level worker sent an answer that could not be read');
  worker = started;
  return started;
}

/**
 * Simplifies a model's triangle lists at every far level in the view's background worker (see
 * `simplifyFarLevels`), so loading a large model never holds a frame. The lists are copied to the
 * worker; the page keeps its own. Rejects with the reason when the worker fails or cannot start.
 */
export function simplifyInBackground(inputs: FarLevelInput[], timeLimitMs = farLevelTimeLimitMs): Promise<SimplifiedFarLevels> {
  if (broken) return Promise.reject(new Error(broken));
  return new Promise((resolve, reject) => {
    const id = nextId++;
    // A worker that never answers must not keep the kind from ever appearing: past the limit it is drawn at full detail.
    const timer = setTimeout(() => {
      if (pending.delete(id)) reject(new Error(`the far-level worker did not answer within ${Math.round(timeLimitMs / 1000)} s`));
    }, timeLimitMs);
    const started = performance.now();
    pending.set(id, {
      resolve: (levels) => {
        clearTimeout(timer);
        // In the browser's performance timeline, so a slow model shows where its time went.
        performance.measure(farLevelMeasureName, { start: started });
        resolve(levels);
      },
      reject: (error) => {
        clearTimeout(timer);
        reject(error);
      },
    });
    try {
      farLevelWorker().postMessage({ id, inputs } satisfies FarLevelRequest);
    } catch (error) {
      pending.get(id)?.reject(error instanceof Error ? error : new Error(String(error)));
      pending.delete(id);
    }
  });
}
