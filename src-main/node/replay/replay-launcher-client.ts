import { EventEmitter } from 'node:events';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { lowerOtherThreadsOfThisProcess, lowerThisThreadsPriority, type YieldLevel } from '../thread-priority.ts';
import { workerExecArgv, workerScript } from '../worker-script.ts';
import type { FromReplayLauncher, ReplayRequestMessage, ToReplayLauncher } from './replay-protocol.ts';
import { untilExit, type ReplayThread, type StartReplayThread } from './replay-thread.ts';

/** A replay thread the launcher started, seen from the thread that asked: its own port, and what the launcher says of it. */
class LaunchedReplayThread extends EventEmitter implements ReplayThread {
  private ended = false;
  private readonly id: number;
  private readonly port: MessagePort;
  private readonly launcher: Worker;

  constructor(id: number, port: MessagePort, launcher: Worker) {
    super();
    this.id = id;
    this.port = port;
    this.launcher = launcher;
    port.on('message', (message) => this.emit('message', message));
  }

  postMessage(message: ReplayRequestMessage): void {
    if (!this.ended) this.port.postMessage(message);
  }

  terminate(): Promise<unknown> {
    if (this.ended) return Promise.resolve();
    this.launcher.postMessage({ type: 'stop', thread: this.id } satisfies ToReplayLauncher);
    return untilExit(this);
  }

  /** The thread failed; an error with nobody listening would throw on this thread. */
  fail(reason: string): void {
    if (!this.ended && this.listenerCount('error') > 0) this.emit('error', new Error(reason));
  }

  end(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.port.close();
    this.emit('exit', code);
  }
}

/**
 * Starts the replay process's launcher thread now, at this thread's priority, and returns how to
 * start replay threads through it: each gets a port to this thread, so its requests and frames do not
 * pass through the launcher. Call it before this thread lowers its own priority. If the launcher
 * itself dies, its threads fail (each view's client starts its replay again) and a new launcher starts.
 */
export function startReplayLauncher(report: (line: string) => void): StartReplayThread {
  const threads = new Map<number, LaunchedReplayThread>();
  let nextThread = 1;
  let launcher: Worker | undefined;

  const launch = (): Worker => {
    const worker = new Worker(workerScript(import.meta.url, 'replay-launcher'), { execArgv: workerExecArgv, stdout: false, stderr: false });
    worker.on('message', (message: FromReplayLauncher) => {
      const thread = threads.get(message.thread);
      if (!thread) return;
      if (message.type === 'error') thread.fail(message.message);
      else {
        threads.delete(message.thread);
        thread.end(message.code);
      }
    });
    const gone = (reason: string) => {
      if (launcher !== worker) return;
      launcher = undefined;
      report(`the launcher of replay threads stopped (${reason})`);
      const orphans = [...threads.values()];
      threads.clear();
      for (const thread of orphans) {
        thread.fail(`replay's launcher stopped (${reason})`);
        thread.end(1);
      }
    };
    worker.on('error', (error) => gone(error.message));
    worker.on('exit', (code) => gone(`exit code ${code}`));
    return worker;
  };
  launcher = launch();

  return (data, limits) => {
    if (!data) throw new Error('the replay process runs views\' replay, not descriptions of files');
    launcher ??= launch();
    const { port1, port2 } = new MessageChannel();
    const id = nextThread++;
    const thread = new LaunchedReplayThread(id, port1, launcher);
    threads.set(id, thread);
    launcher.postMessage({ type: 'start', thread: id, data, limits, port: port2 } satisfies ToReplayLauncher, [port2]);
    return thread;
  };
}

/**
 * Makes the replay process yield to live ingest, in an order that keeps a view's first answer quick:
 * its helper threads (garbage collection's) go to the level's priority (by default the lowest, in the
 * idle class) at once; the launcher then starts at this thread's normal priority; then this thread,
 * which passes the replay threads' messages on, lowers itself too. Returns how to start replay threads.
 */
export function yieldToLive(log: (line: string) => void, level: YieldLevel = 'idle'): StartReplayThread {
  const lowered = lowerOtherThreadsOfThisProcess(level);
  const startThread = startReplayLauncher(log);
  const loweredThis = lowerThisThreadsPriority({ level });
  if ('reason' in lowered) log(`its threads' CPU priority could not be lowered (${lowered.reason}), so replay competes with live ingest as an equal`);
  else if (lowered.failures.length > 0) log(`its threads run at the lowest priority but not in the idle scheduling class (${lowered.failures[0]})`);
  if ('reason' in loweredThis && process.platform === 'linux') log(`its main thread's CPU priority could not be lowered (${loweredThis.reason})`);
  return startThread;
}
