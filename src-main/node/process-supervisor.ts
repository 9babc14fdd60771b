/**
 * What the supervisor needs of a child process. Electron's `utilityProcess.fork` child and Node's
 * `child_process` children both fit, so the same supervision runs in the desktop shell and the CLI.
 */
export interface SupervisedProcess {
  /** Undefined until the process has been spawned (Electron), or when spawning failed (Node). */
  readonly pid?: number | undefined;
  on(event: 'exit', listener: (code: number | null, signal?: NodeJS.Signals | null) => void): unknown;
  on(event: 'error', listener: (...details: unknown[]) => void): unknown;
  kill(): unknown;
}

/** How a supervised process ended. */
export interface ProcessExit {
  code: number | null;
  signal: string | null;
  /** Why it could not be started, when that is what ended it. */
  error?: string;
}

/** Every transition of a supervised process, in the order they happen. */
export type SupervisorEvent<Child extends SupervisedProcess = SupervisedProcess> =
  /** `restart`: started again after an unexpected exit (not at `start()` or `replace()`). */
  | { type: 'started'; process: Child; pid: number | undefined; restart: boolean }
  | { type: 'exited'; process: Child | undefined; pid: number | undefined; exit: ProcessExit; uptimeMs: number; expected: boolean }
  | { type: 'restarting'; delayMs: number; crashesInARow: number; exit: ProcessExit }
  | { type: 'gaveUp'; crashesInARow: number; exit: ProcessExit }
  | { type: 'error'; message: string };

/** How a process is started and when it is started again. */
export interface ProcessSupervisorOptions<Child extends SupervisedProcess> {
  /** Starts one process; called again for every restart. */
  start(): Child;
  /** Delay before the first restart after a run of quick crashes (default 0.5 s)… */
  firstDelayMs?: number;
  /** … doubling per crash in a row up to this (default 30 s). */
  maxDelayMs?: number;
  /** A process that stayed up this long before it crashed starts a new run of crashes (default 60 s). */
  stableAfterMs?: number;
  /** Stop restarting after this many quick crashes in a row (default: never stop). */
  maxCrashesInARow?: number;
  /** Source of jitter, 0 ≤ x < 1 (default Math.random). */
  random?: () => number;
  /** Monotonic clock in ms (default performance.now). */
  now?: () => number;
  /** Where a listener's own failure is reported (default stderr); it never reaches the supervisor's caller. */
  reportListenerError?: (message: string) => void;
}

interface Running<Child> {
  process: Child;
  startedAt: number;
  exited: boolean;
  exitWaiters: Array<() => void>;
}

/** Delay before the restart after `crashesInARow` quick crashes: exponential, capped, with ±25 % jitter. */
export function restartDelay(crashesInARow: number, firstDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxDelayMs, firstDelayMs * 2 ** Math.max(0, crashesInARow - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** "exit code 3", "signal SIGKILL" or why it could not start, for logs. */
export function describeExit(exit: ProcessExit): string {
  if (exit.error !== undefined) return `could not start: ${exit.error}`;
  if (exit.signal) return `signal ${exit.signal}`;
  return exit.code === null ? 'no exit code' : `exit code ${exit.code}`;
}

/**
 * Keeps one process running: starts it, restarts it with backoff when it exits unexpectedly, and
 * reports every transition. A deliberate `stop()` or `replace()` is never mistaken for a crash.
 */
export class ProcessSupervisor<Child extends SupervisedProcess> {
  private readonly options: ProcessSupervisorOptions<Child>;
  private readonly listeners = new Set<(event: SupervisorEvent<Child>) => void>();
  private running: Running<Child> | undefined;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private supervising = false;
  private crashesInARow = 0;

  constructor(options: ProcessSupervisorOptions<Child>) {
    this.options = options;
  }

  /** Listens to every transition; returns a function that stops listening. A listener that throws is reported and skipped. */
  onEvent(listener: (event: SupervisorEvent<Child>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The process now running under supervision, if any. */
  get current(): Child | undefined {
    return this.running?.process;
  }

  /** Whether a crash would be followed by a restart (started, not stopped, not given up). */
  get isSupervising(): boolean {
    return this.supervising;
  }

  /** Starts the process and supervises it; does nothing while already supervising. */
  start(): void {
    if (this.supervising) return;
    this.supervising = true;
    this.crashesInARow = 0;
    this.launch(false);
  }

  /** Replaces the process on purpose (e.g. with other arguments): the old one is killed, not counted as a crash, and a new one starts now. */
  replace(): void {
    this.cancelRestart();
    this.release();
    this.supervising = true;
    this.crashesInARow = 0;
    this.launch(false);
  }

  /** Stops supervising and kills the process; resolves once it has exited. */
  stop(): Promise<void> {
    this.supervising = false;
    this.cancelRestart();
    return this.release();
  }

  /** Kills the current process as a deliberate act and forgets it; resolves once it has exited. */
  private release(): Promise<void> {
    const entry = this.running;
    if (!entry) return Promise.resolve();
    // Forgotten first: the exit of a process that is no longer `running` is never a crash.
    this.running = undefined;
    const exited = new Promise<void>((resolve) => entry.exitWaiters.push(resolve));
    try {
      entry.process.kill();
    } catch (error) {
      this.emit({ type: 'error', message: `could not kill process ${entry.process.pid ?? '(not spawned)'}: ${errorText(error)}` });
    }
    return exited;
  }

  private launch(restart: boolean): void {
    let child: Child;
    try {
      child = this.options.start();
    } catch (error) {
      // Counted as a crash: whatever stopped it from starting may pass (a busy port, a full disk).
      const exit: ProcessExit = { code: null, signal: null, error: errorText(error) };
      this.emit({ type: 'exited', process: undefined, pid: undefined, exit, uptimeMs: 0, expected: false });
      this.crashed(exit, 0);
      return;
    }
    const entry: Running<Child> = { process: child, startedAt: this.now(), exited: false, exitWaiters: [] };
    this.running = entry;
    child.on('exit', (code, signal) => this.exited(entry, { code: code ?? null, signal: signal ?? null }));
    // Node's children emit 'error' when they cannot be spawned or signalled; unheard, it would throw.
    child.on('error', (...details: unknown[]) => {
      const text = details.map(errorText).join(' ');
      this.emit({ type: 'error', message: `process ${child.pid ?? '(not spawned)'} reported an error: ${text}` });
      // A process that never spawned emits no 'exit' of its own.
      if (child.pid === undefined) this.exited(entry, { code: null, signal: null, error: text });
    });
    this.emit({ type: 'started', process: child, pid: child.pid, restart });
  }

  private exited(entry: Running<Child>, exit: ProcessExit): void {
    if (entry.exited) return;
    entry.exited = true;
    const uptimeMs = Math.max(0, this.now() - entry.startedAt);
    const expected = this.running !== entry || !this.supervising;
    if (this.running === entry) this.running = undefined;
    this.emit({ type: 'exited', process: entry.process, pid: entry.process.pid, exit, uptimeMs, expected });
    for (const resolve of entry.exitWaiters.splice(0)) resolve();
    if (!expected) this.crashed(exit, uptimeMs);
  }

  private crashed(exit: ProcessExit, uptimeMs: number): void {
    const stableAfterMs = this.options.stableAfterMs ?? 60_000;
    this.crashesInARow = uptimeMs >= stableAfterMs ? 1 : this.crashesInARow + 1;
    if (this.crashesInARow >= (this.options.maxCrashesInARow ?? Number.POSITIVE_INFINITY)) {
      this.supervising = false;
      this.emit({ type: 'gaveUp', crashesInARow: this.crashesInARow, exit });
      return;
    }
    const delayMs = restartDelay(this.crashesInARow, this.options.firstDelayMs ?? 500, this.options.maxDelayMs ?? 30_000, this.options.random);
    this.emit({ type: 'restarting', delayMs, crashesInARow: this.crashesInARow, exit });
    // Not unref'd: bringing the process back is this supervisor's whole job, so it keeps its own process alive for it.
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.supervising && !this.running) this.launch(true);
    }, delayMs);
  }

  private cancelRestart(): void {
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private now(): number {
    return (this.options.now ?? (() => performance.now()))();
  }

  private emit(event: SupervisorEvent<Child>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.reportListenerError(`a listener of the process supervisor failed on "${event.type}": ${errorText(error)}`);
      }
    }
  }

  private reportListenerError(message: string): void {
    try {
      (this.options.reportListenerError ?? ((text: string) => process.stderr.write(`${text}\n`)))(message);
    } catch (error) {
      // The reporter itself failed: stderr is the last place left, and it must not throw into the supervisor.
      process.stderr.write(`${message}\n(reporting it failed too: ${errorText(error)})\n`);
    }
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
