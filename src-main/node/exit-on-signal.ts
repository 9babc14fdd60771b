/** How long stopping may take before the process exits anyway: recordings keep every committed batch, as after a kill. */
export const shutdownLimitMs = 30_000;

/** What `exitOnSignal` needs: the stop to run, where to say why it ended early, and how to exit. */
export interface ExitOnSignalOptions {
  stop(): Promise<void>;
  log(line: string): void;
  exit(code: number): void;
  /** Where SIGINT and SIGTERM come from (the process). */
  signals?: { on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown };
  limitMs?: number;
}

/**
 * On SIGINT or SIGTERM, stops, then exits with 0. A stop that fails or outlasts its limit, or a second
 * signal, exits with 1 at once and says why: a command asked to stop must never hang on a part that
 * does not finish stopping.
 */
export function exitOnSignal({ stop, log, exit, signals = process, limitMs = shutdownLimitMs }: ExitOnSignalOptions): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      log(`${signal} again while stopping: exiting now`);
      exit(1);
      return;
    }
    stopping = true;
    const limit = setTimeout(() => {
      log(`stopping took over ${limitMs / 1000} s: exiting without waiting for the rest (recordings keep every batch committed)`);
      exit(1);
    }, limitMs);
    stop().then(
      () => {
        clearTimeout(limit);
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(limit);
        log(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        exit(1);
      },
    );
  };
  signals.on('SIGINT', () => shutdown('SIGINT'));
  signals.on('SIGTERM', () => shutdown('SIGTERM'));
}
