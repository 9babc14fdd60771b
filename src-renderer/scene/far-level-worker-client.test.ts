import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FarLevelRequest } from './far-level-worker-client.ts';

/** A stand-in for the browser's Worker (tests run in Node, which has none): it keeps what the page posts and answers as the test says. */
class ScriptedWorker {
  static started: ScriptedWorker[] = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: { message: string }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  readonly requests: FarLevelRequest[] = [];
  terminated = false;

  constructor() {
    ScriptedWorker.started.push(this);
  }

  postMessage(request: FarLevelRequest): void {
    this.requests.push(request);
  }

  terminate(): void {
    this.terminated = true;
  }

  answer(data: unknown): void {
    this.onmessage!({ data });
  }
}

/** The client module afresh: it keeps its worker, and whether it broke, for the page's life. */
async function freshClient() {
  vi.resetModules();
  return import('./far-level-worker-client.ts');
}

describe('the far-level worker client', () => {
  beforeEach(() => {
    ScriptedWorker.started = [];
    vi.stubGlobal('Worker', ScriptedWorker);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('gives each request its own answer and the worker’s error as its reason', async () => {
    const { simplifyInBackground } = await freshClient();
    const first = simplifyInBackground([null]);
    const second = simplifyInBackground([null]);
    const worker = ScriptedWorker.started[0]!;
    const [one, two] = worker.requests;
    worker.answer({ id: two!.id, error: 'the simplifier did not start' });
    worker.answer({ id: one!.id, levels: [[null]] });
    await expect(first).resolves.toEqual([[null]]);
    await expect(second).rejects.toThrow('the simplifier did not start');
    expect(ScriptedWorker.started).toHaveLength(1);
  });

  it('fails what waits on an answer that names no request, without throwing from the message callback, and starts a new worker for what comes after', async () => {
    const { simplifyInBackground } = await freshClient();
    const waiting = simplifyInBackground([null]);
    const worker = ScriptedWorker.started[0]!;
    expect(() => worker.answer(null)).not.toThrow();
    await expect(waiting).rejects.toThrow('the far-level worker sent an answer that names no request');
    expect(worker.terminated).toBe(true);
    const next = simplifyInBackground([null]);
    const fresh = ScriptedWorker.started[1]!;
    expect(fresh).toBeDefined();
    fresh.answer({ id: fresh.requests[0]!.id, levels: [[null]] });
    await expect(next).resolves.toEqual([[null]]);
  });

  it('gives up starting workers once they failed more often than it restarts them: later requests fail at once', async () => {
    const { simplifyInBackground, farLevelWorkerRestarts } = await freshClient();
    for (let failure = 0; failure <= farLevelWorkerRestarts; failure++) {
      const waiting = simplifyInBackground([null]);
      ScriptedWorker.started[failure]!.onerror!({ message: 'it could not start' });
      await expect(waiting).rejects.toThrow('the far-level worker stopped: it could not start');
    }
    await expect(simplifyInBackground([null])).rejects.toThrow('it could not start');
    expect(ScriptedWorker.started).toHaveLength(farLevelWorkerRestarts + 1);
  });

  it('gives up on a request the worker never answers, so its kind is drawn at full detail, and ignores a late answer', async () => {
    const { simplifyInBackground } = await freshClient();
    const waiting = simplifyInBackground([null], 50);
    await expect(waiting).rejects.toThrow('did not answer within');
    const worker = ScriptedWorker.started[0]!;
    expect(() => worker.answer({ id: worker.requests[0]!.id, levels: [[null]] })).not.toThrow();
    // The worker is still used: a model that is merely slow does not stop the others.
    const next = simplifyInBackground([null]);
    worker.answer({ id: worker.requests[1]!.id, levels: [] });
    await expect(next).resolves.toEqual([]);
  });
});
