import type { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { workerExecArgv, workerScript } from '../worker-script.ts';
import type { ReplayRequestMessage, ReplayThreadLimits, ReplayWorkerData, ReplayWorkerMessage } from './replay-protocol.ts';

/**
 * One view's replay thread as the host's thread sees it, wherever it runs: a worker thread of the host
 * (`startLocalReplayThread`) or one of the replay process (`ReplayProcessClient`). A Worker is one.
 */
export interface ReplayThread {
  postMessage(message: ReplayRequestMessage): void;
  /** Stops the thread; settles once it has stopped. */
  terminate(): Promise<unknown>;
  on(event: 'message', listener: (message: ReplayWorkerMessage) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
}

/**
 * A replay thread's error when the host ended it to run replay again in a new process (at below-normal
 * priority after the idle class got no CPU, or back in the idle class): not a failure of the recording
 * or of the view's request, so the view opens its moment again at once instead of returning to live.
 */
export class ReplayThreadMoved extends Error {
  constructor(reason: string) {
    super(`replay moved to a new process (${reason})`);
    this.name = 'ReplayThreadMoved';
  }
}

/** Starts a replay thread with its data and heap limits. */
export type StartReplayThread = (data: ReplayWorkerData, limits: ReplayThreadLimits) => ReplayThread;

/** Starts a replay thread as a worker thread of this process (handing it its port, if it has one). */
export function startLocalReplayThread(data: ReplayWorkerData, limits: ReplayThreadLimits): ReplayThread {
  const transferList = data?.port ? [data.port] : [];
  const worker = new Worker(workerScript(import.meta.url, 'replay-worker'), { workerData: data, transferList, execArgv: workerExecArgv, resourceLimits: limits, stdout: false, stderr: false });
  // The host may exit while a view still has a worker.
  worker.unref();
  return worker;
}

/** Longest a stopped replay thread in another thread or process is waited for: one too stuck to answer is no longer the view's. */
const exitWaitMs = 10_000;

/** Settles when `thread` emits its exit, or after `exitWaitMs` if it never does. */
export function untilExit(thread: Pick<EventEmitter, 'once'>): Promise<unknown> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, exitWaitMs);
    timer.unref();
    thread.once('exit', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}
