import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { workerExecArgv, workerScript } from '../worker-script.ts';
import { processLiveFirstGate, type LiveFirstGate } from './live-first-gate.ts';
import { replayProcessEnvironment } from './replay-process-environment.ts';
import type { FromReplayProcess, ReplayRequestMessage, ToReplayProcess } from './replay-protocol.ts';
import { untilExit, type ReplayThread, type StartReplayThread } from './replay-thread.ts';

/** The host's side of its channel to the replay process. */
export interface ReplayProcessChannel {
  send(message: ToReplayProcess): void;
  onMessage(listener: (message: FromReplayProcess) => void): void;
  /** Heard once, when the process has gone (exited, was killed, or could not start). */
  onGone(listener: (reason: string) => void): void;
}

/** A replay thread of the replay process, seen from the host: the same events a worker thread gives. */
class RemoteReplayThread extends EventEmitter implements ReplayThread {
  private ended = false;
  private readonly id: number;
  private readonly channel: ReplayProcessChannel;
  private readonly forget: () => void;

  constructor(id: number, channel: ReplayProcessChannel, forget: () => void) {
    super();
    this.id = id;
    this.channel = channel;
    this.forget = forget;
  }

  postMessage(message: ReplayRequestMessage): void {
    if (!this.ended) this.channel.send({ type: 'request', thread: this.id, message });
  }

  terminate(): Promise<unknown> {
    if (this.ended) return Promise.resolve();
    this.channel.send({ type: 'stop', thread: this.id });
    return untilExit(this);
  }

  /** Passes on what the replay process said about this thread. */
  receive(message: FromReplayProcess): void {
    if (this.ended) return;
    if (message.type === 'message') this.emit('message', message.message);
    else if (message.type === 'error') this.fail(message.message);
    else this.end(message.code);
  }

  /**
   * The whole replay process went: this thread with it. Told on the next turn of the loop, so that a
   * process gone while the thread was being started is heard by the listeners about to be attached.
   */
  gone(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.forget();
    setImmediate(() => {
      this.fail(`the replay process stopped (${reason})`);
      this.emit('exit', 1);
    });
  }

  private fail(reason: string): void {
    // An error with nobody listening would throw here, on the host's thread.
    if (this.listenerCount('error') > 0) this.emit('error', new Error(reason));
  }

  private end(code: number): void {
    this.ended = true;
    this.forget();
    this.emit('exit', code);
  }
}

/**
 * Replay threads in a process of their own, started when the first is needed and again after it has
 * gone: each view's thread there is what a worker thread of the host would be (same messages, same
 * heap limits), and when the process dies every thread of it fails as a worker would, so each view's
 * `ReplayWorkerClient` restarts it with its usual backoff. The live-first gate's changes are sent
 * along, since shared memory does not reach another process.
 */
export class ReplayProcessClient {
  private channel: ReplayProcessChannel | undefined;
  private readonly threads = new Map<number, RemoteReplayThread>();
  private nextThread = 1;
  private readonly launch: () => ReplayProcessChannel;
  private readonly gate: LiveFirstGate | undefined;

  constructor(launch: () => ReplayProcessChannel, gate?: LiveFirstGate) {
    this.launch = launch;
    this.gate = gate;
    gate?.onChange((behind) => this.channel?.send({ type: 'live', behind }));
  }

  /** Starts a replay thread in the replay process (starting the process when it is not running). */
  readonly start: StartReplayThread = (data, limits) => {
    const channel = this.ensureChannel();
    const id = this.nextThread++;
    const thread = new RemoteReplayThread(id, channel, () => this.threads.delete(id));
    this.threads.set(id, thread);
    // The host's flag is shared memory, which another process cannot see; the replay process adds its own.
    const sent = data === null ? null : { ...data, liveFirst: undefined };
    channel.send({ type: 'start', thread: id, data: sent, limits });
    return thread;
  };

  private ensureChannel(): ReplayProcessChannel {
    if (this.channel) return this.channel;
    const channel = this.launch();
    this.channel = channel;
    channel.onMessage((message) => {
      if (this.channel === channel) this.threads.get(message.thread)?.receive(message);
    });
    channel.onGone((reason) => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      const threads = [...this.threads.values()];
      this.threads.clear();
      for (const thread of threads) thread.gone(reason);
    });
    if (this.gate?.behind) channel.send({ type: 'live', behind: true });
    return channel;
  }
}

/**
 * Starts the replay process as a Node child process at the lowest CPU priority (it lowers its own
 * threads), with structured-clone messages so frames arrive as bytes. What a listener throws is
 * reported, never left to end the host.
 */
export function forkReplayProcess(report: (line: string) => void = (line) => console.error(line)): ReplayProcessChannel {
  const child = fork(workerScript(import.meta.url, 'replay-process'), [], { serialization: 'advanced', execArgv: workerExecArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: replayProcessEnvironment() });
  // The host may exit while the replay process runs; that process ends when its channel closes.
  child.unref();
  child.channel?.unref();
  const goneListeners: Array<(reason: string) => void> = [];
  let goneReason: string | undefined;
  const gone = (reason: string) => {
    if (goneReason !== undefined) return;
    goneReason = reason;
    for (const listener of goneListeners) guard(() => listener(reason), 'the replay process going');
  };
  const guard = (run: () => void, what: string) => {
    try {
      run();
    } catch (error) {
      report(`Twinline: handling ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  };
  child.on('exit', (code, signal) => gone(signal ? `killed by ${signal}` : `exit code ${code}`));
  child.on('error', (error) => {
    gone(error.message);
    // A process that never started has no exit to wait for; one that did is stopped.
    if (child.exitCode === null && child.pid !== undefined) child.kill();
  });
  return {
    send: (message) => {
      if (goneReason !== undefined || !child.connected) return;
      child.send(message, (error) => {
        if (error) report(`Twinline: a message to the replay process was lost: ${error.message}`);
      });
    },
    onMessage: (listener) => {
      child.on('message', (message) => guard(() => listener(message as FromReplayProcess), 'a message from the replay process'));
    },
    onGone: (listener) => {
      if (goneReason !== undefined) guard(() => listener(goneReason!), 'the replay process going');
      else goneListeners.push(listener);
    },
  };
}

let processClient: ReplayProcessClient | undefined;
let launchReplayProcess: () => ReplayProcessChannel = () => forkReplayProcess();

/** Sets how this host starts its replay process (the Electron host asks its shell); called before any view replays. */
export function setReplayProcessLauncher(launch: () => ReplayProcessChannel): void {
  launchReplayProcess = launch;
}

/** Where this host's replay threads beside live ingest run: the replay process, started on first use. */
export function replayThreadsBesideLive(): StartReplayThread {
  processClient ??= new ReplayProcessClient(() => launchReplayProcess(), processLiveFirstGate());
  return processClient.start;
}
