import type { FarLevelInput, SimplifiedFarLevels } from './simplify-far-levels.ts';

/** What the page asks the far-level worker: simplify these triangle lists at every far level. */
export interface FarLevelRequest {
  id: number;
  inputs: FarLevelInput[];
}

/** The worker's answer to one request: the simplified lists, or why there are none. */
export type FarLevelAnswer = { id: number; levels: SimplifiedFarLevels } | { id: number; error: string };

let worker: Worker | undefined;
/** Why the worker cannot be used, once it failed to start or broke: later requests fail at once with it. */
let broken: string | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (levels: SimplifiedFarLevels) => void; reject: (error: Error) => void }>();

function failAll(reason: string): void {
  broken = reason;
  worker?.terminate();
  worker = undefined;
  for (const { reject } of pending.values()) reject(new Error(reason));
  pending.clear();
}

function farLevelWorker(): Worker {
  if (worker) return worker;
  // A file of the app (bundled by Vite), so the page's policy (`worker-src 'self'`) allows it.
  const started = new Worker(new URL('./far-level-worker.ts', import.meta.url), { type: 'module', name: 'twinline far levels' });
  started.onmessage = (event: MessageEvent<FarLevelAnswer>) => {
    const answer = event.data;
    const waiting = pending.get(answer.id);
    if (!waiting) return;
    pending.delete(answer.id);
    if ('error' in answer) waiting.reject(new Error(answer.error));
    else waiting.resolve(answer.levels);
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
export function simplifyInBackground(inputs: FarLevelInput[]): Promise<SimplifiedFarLevels> {
  if (broken) return Promise.reject(new Error(broken));
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    try {
      farLevelWorker().postMessage({ id, inputs } satisfies FarLevelRequest);
    } catch (error) {
      pending.delete(id);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
