import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { readProcessSchedule, type ProcessSchedule } from '../process-schedule.ts';
import { readCpuTimes, spareCores, type CpuTimes } from '../spare-cpu.ts';
import type { YieldLevel } from '../thread-priority.ts';
import { workerExecArgv, workerScript } from '../worker-script.ts';
import { processLiveFirstGate, type LiveFirstGate } from './live-first-gate.ts';
import { yieldLevelArguments } from './replay-process-arguments.ts';
import { replayProcessEnvironment } from './replay-process-environment.ts';
import type { FromReplayProcess, ReplayRequestMessage, ToReplayProcess } from './replay-protocol.ts';
import { ReplayStarvationWatch } from './replay-starvation-watch.ts';
import { ReplayThreadMoved, untilExit, type ReplayThread, type StartReplayThread } from './replay-thread.ts';

/** The host's side of its channel to the replay process. */
export interface ReplayProcessChannel {
  send(message: ToReplayProcess): void;
  onMessage(listener: (message: FromReplayProcess) => void): void;
  /** Heard once, when the process has gone (exited, was killed, or could not start). */
  onGone(listener: (reason: string) => void): void;
  /** The process's id, once known (through the shell it comes with the link). */
  pid(): number | undefined;
  /** Ends the process (its threads' work with it). */
  stop(): void;
}

/** Starts a replay process at a yield level. */
export type LaunchReplayProcess = (level: YieldLevel) => ReplayProcessChannel;

/** What a replay process's threads count for the starvation watch: requests sent and not yet answered. */
interface RequestCounts {
  waiting: number;
}

/** How often the host looks whether its replay process in the idle class is starved, while requests wait on it. */
const starvationCheckMs = 1000;
/** How long the machine must keep a core free before replay returns to the idle class from below normal. */
const spareCoreWindowMs = 60_000;

/** Where the watches read the replay process's schedule, the machine's CPU times and the host's CPU (tests give their own). */
export interface ReplayProcessReadings {
  schedule?: (pid: number) => ProcessSchedule | undefined;
  cpuTimes?: () => CpuTimes | undefined;
  hostCpuMs?: () => number;
  cores?: number;
}

/** A replay thread of the replay process, seen from the host: the same events a worker thread gives. */
class RemoteReplayThread extends EventEmitter implements ReplayThread {
  private ended = false;
  private readonly id: number;
  private readonly channel: ReplayProcessChannel;
  private readonly forget: () => void;
  private readonly counts: RequestCounts;
  /** Requests of this thread not answered yet. */
  private waiting = 0;

  constructor(id: number, channel: ReplayProcessChannel, forget: () => void, counts: RequestCounts) {
    super();
    this.id = id;
    this.channel = channel;
    this.forget = forget;
    this.counts = counts;
  }

  postMessage(message: ReplayRequestMessage): void {
    if (this.ended) return;
    this.waiting++;
    this.counts.waiting++;
    this.channel.send({ type: 'request', thread: this.id, message });
  }

  terminate(): Promise<unknown> {
    if (this.ended) return Promise.resolve();
    this.channel.send({ type: 'stop', thread: this.id });
    return untilExit(this);
  }

  /** Passes on what the replay process said about this thread. */
  receive(message: FromReplayProcess): void {
    if (this.ended) return;
    if (message.type === 'message' && message.message.type === 'response' && this.waiting > 0) {
      this.waiting--;
      this.counts.waiting--;
    }
    if (message.type === 'message') this.emit('message', message.message);
    else if (message.type === 'error') this.fail(message.message);
    else this.end(message.code);
  }

  /**
   * The whole replay process went: this thread with it. Told on the next turn of the loop, so that a
   * process gone while the thread was being started is heard by the listeners about to be attached.
   * `moved`: the host ended the process to start replay again at a higher priority (the error says so).
   */
  gone(reason: string, moved = false): void {
    if (this.ended) return;
    this.end();
    setImmediate(() => {
      const error = moved ? new ReplayThreadMoved(reason) : new Error(`the replay process stopped (${reason})`);
      // An error with nobody listening would throw here, on the host's thread.
      if (this.listenerCount('error') > 0) this.emit('error', error);
      this.emit('exit', 1);
    });
  }

  private fail(reason: string): void {
    // An error with nobody listening would throw here, on the host's thread.
    if (this.listenerCount('error') > 0) this.emit('error', new Error(reason));
  }

  /** Ends this thread's part: it is forgotten, and what it had waiting counts no more. */
  private end(code?: number): void {
    this.ended = true;
    this.forget();
    this.counts.waiting -= this.waiting;
    this.waiting = 0;
    if (code !== undefined) this.emit('exit', code);
  }
}

/**
 * Replay threads in a process of their own, started when the first is needed and again after it has
 * gone: each view's thread there is what a worker thread of the host would be (same messages, same
 * heap limits), and when the process dies every thread of it fails as a worker would, so each view's
 * `ReplayWorkerClient` restarts it with its usual backoff. The live-first gate's changes are sent
 * along, since shared memory does not reach another process.
 *
 * The process starts in the idle class, which yields every core to live ingest. On a machine whose
 * every core other programs keep busy, that class gets no CPU at all: while requests wait on it, the
 * host watches its schedule, and once it is starved (`ReplayStarvationWatch`) ends it and starts
 * replay again at below-normal priority, until the machine has kept a core free for a minute again.
 * Its threads end as moved (`ReplayThreadMoved`), so each view opens its moment again in the new process.
 */
export class ReplayProcessClient {
  private channel: ReplayProcessChannel | undefined;
  private readonly threads = new Map<number, RemoteReplayThread>();
  private nextThread = 1;
  private readonly launch: LaunchReplayProcess;
  private readonly gate: LiveFirstGate | undefined;
  private readonly report: (line: string) => void;
  private readonly counts: RequestCounts = { waiting: 0 };
  private watchTimer: ReturnType<typeof setInterval> | undefined;
  private level: YieldLevel = 'idle';

  private readonly readings: Required<ReplayProcessReadings>;

  constructor(launch: LaunchReplayProcess, gate?: LiveFirstGate, report: (line: string) => void = (line) => console.error(line), readings: ReplayProcessReadings = {}) {
    this.launch = launch;
    this.gate = gate;
    this.report = report;
    this.readings = { schedule: readProcessSchedule, cpuTimes: readCpuTimes, hostCpuMs: processCpuMs, cores: availableParallelism(), ...readings };
    gate?.onChange((behind) => this.channel?.send({ type: 'live', behind }));
  }

  /** Starts a replay thread in the replay process (starting the process when it is not running). */
  readonly start: StartReplayThread = (data, limits) => {
    const channel = this.ensureChannel();
    const id = this.nextThread++;
    const thread = new RemoteReplayThread(id, channel, () => this.threads.delete(id), this.counts);
    this.threads.set(id, thread);
    // The host's flag is shared memory, which another process cannot see; the replay process adds its own.
    const sent = data === null ? null : { ...data, liveFirst: undefined };
    channel.send({ type: 'start', thread: id, data: sent, limits });
    return thread;
  };

  private ensureChannel(): ReplayProcessChannel {
    if (this.channel) return this.channel;
    const channel = this.launch(this.level);
    this.channel = channel;
    channel.onMessage((message) => {
      if (this.channel === channel) this.threads.get(message.thread)?.receive(message);
    });
    channel.onGone((reason) => {
      if (this.channel === channel) this.endThreads(reason, false);
    });
    if (this.gate?.behind) channel.send({ type: 'live', behind: true });
    if (process.platform === 'linux') {
      if (this.level === 'idle') this.watch(channel);
      else this.watchForSpareCore(channel);
    }
    return channel;
  }

  /**
   * At below-normal priority, replay takes a little from live ingest whenever both want a core. Once
   * the machine has kept a core free for a minute (other programs no longer take every core), and no
   * request waits, replay returns to the idle class the same way it left it: its threads move.
   */
  private watchForSpareCore(channel: ReplayProcessChannel): void {
    let since: { at: number; times: CpuTimes } | undefined;
    this.watchTimer = setInterval(() => {
      try {
        const times = this.readings.cpuTimes();
        const now = performance.now();
        if (!times || this.channel !== channel) return;
        if (!since) since = { at: now, times };
        if (now - since.at < spareCoreWindowMs) return;
        const spare = spareCores(since.times, times, this.readings.cores);
        since = { at: now, times };
        if (spare < 1 || this.counts.waiting > 0) return;
        this.level = 'idle';
        const reason = `other programs left ${spare.toFixed(1)} cores free for a minute, so replay returns to the idle class`;
        this.report(`Twinline: ${reason}`);
        this.endThreads(reason, true);
        channel.stop();
      } catch (error) {
        this.report(`Twinline: watching for a free core to return replay to the idle class failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }, starvationCheckMs);
    this.watchTimer.unref();
  }

  /** While requests wait on the idle-class process, looks each second whether other programs starve it. */
  private watch(channel: ReplayProcessChannel): void {
    const watch = new ReplayStarvationWatch({ schedule: () => this.readings.schedule(channel.pid() ?? 0), hostCpuMs: () => this.readings.hostCpuMs() });
    this.watchTimer = setInterval(() => {
      try {
        const starved = watch.check(performance.now(), this.counts.waiting > 0);
        if (starved === undefined || this.channel !== channel) return;
        this.level = 'below-normal';
        this.report(`Twinline: ${starved}; replay starts again at below-normal priority, which they cannot take from it`);
        this.endThreads(starved, true);
        channel.stop();
      } catch (error) {
        this.report(`Twinline: watching the replay process for starvation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }, starvationCheckMs);
    // The watch never keeps a host alive on its own.
    this.watchTimer.unref();
  }

  /** The process went (or was ended as starved): its threads end with it, and the next request starts another. */
  private endThreads(reason: string, moved: boolean): void {
    clearInterval(this.watchTimer);
    this.watchTimer = undefined;
    this.channel = undefined;
    const threads = [...this.threads.values()];
    this.threads.clear();
    for (const thread of threads) thread.gone(reason, moved);
    this.counts.waiting = 0;
  }
}

/** CPU time this process has used so far (ms). */
function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Starts the replay process as a Node child process at a yield level (it lowers its own threads), with
 * structured-clone messages so frames arrive as bytes. What a listener throws is reported, never left
 * to end the host.
 */
export function forkReplayProcess(level: YieldLevel = 'idle', report: (line: string) => void = (line) => console.error(line)): ReplayProcessChannel {
  const child = fork(workerScript(import.meta.url, 'replay-process'), yieldLevelArguments(level), { serialization: 'advanced', execArgv: workerExecArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: replayProcessEnvironment() });
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
    pid: () => child.pid,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

let processClient: ReplayProcessClient | undefined;
let launchReplayProcess: LaunchReplayProcess = (level) => forkReplayProcess(level);

/** Sets how this host starts its replay process (the Electron host asks its shell); called before any view replays. */
export function setReplayProcessLauncher(launch: LaunchReplayProcess): void {
  launchReplayProcess = launch;
}

/** Where this host's replay threads beside live ingest run: the replay process, started on first use. */
export function replayThreadsBesideLive(): StartReplayThread {
  processClient ??= new ReplayProcessClient((level) => launchReplayProcess(level), processLiveFirstGate());
  return processClient.start;
}
