import { inspect } from 'node:util';

/** Exit code of a process that stopped on an error nothing handled (EX_SOFTWARE), so its supervisor restarts it. */
export const fatalErrorExitCode = 70;

/**
 * Makes an error that reaches no handler (thrown from a timer, a rejected promise nobody awaits)
 * end the process in an orderly way: logged with its stack first, then exit with
 * `fatalErrorExitCode`, so a supervisor restarts it instead of it running on in an unknown state.
 * Returns a function that removes the handlers.
 */
export function installFatalErrorHandlers(log: (line: string) => void, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  let dying = false;
  const die = (what: string, reason: unknown): void => {
    // A second error while the first is being reported must not hide it or loop: leave at once.
    if (dying) return exit(fatalErrorExitCode);
    dying = true;
    const text = `Fatal: ${what} in process ${process.pid} (${process.argv.slice(1).join(' ')}): ${describeReason(reason)}`;
    try {
      log(text);
    } catch (error) {
      process.stderr.write(`${text}\n(writing it to the log failed too: ${describeReason(error)})\n`);
    }
    exit(fatalErrorExitCode);
  };
  const onException = (error: Error, origin: NodeJS.UncaughtExceptionOrigin) => die(origin === 'unhandledRejection' ? 'a promise rejection nobody handled' : 'an exception nothing caught', error);
  const onRejection = (reason: unknown) => die('a promise rejection nobody handled', reason);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}

/** The stack of an error, or a bounded rendering of whatever else was thrown. */
function describeReason(reason: unknown): string {
  if (reason instanceof Error && reason.stack) return reason.stack;
  return inspect(reason, { depth: 3, maxArrayLength: 20, maxStringLength: 2000, breakLength: Number.POSITIVE_INFINITY });
}
