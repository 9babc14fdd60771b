import { createHook } from 'node:async_hooks';

/** What `trackConnectionResources` gives: the resources still alive, and how to stop tracking. */
export interface ConnectionResources {
  /** Kinds (`Timeout`, `TCPWRAP`, `TCPCONNECTWRAP`) of the resources still alive, sorted. */
  alive(): string[];
  /** Stops tracking. */
  stop(): void;
}

/**
 * Timers and sockets made from now on by the broker connection or its MQTT client (told by where they
 * were made), and which of them are still alive: Node's global counts would mix in the test runner's.
 */
export function trackConnectionResources(): ConnectionResources {
  const made = new Map<number, string>();
  const hook = createHook({
    init(asyncId, type) {
      if (type !== 'Timeout' && type !== 'TCPWRAP' && type !== 'TCPCONNECTWRAP') return;
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 40;
      const stack = new Error().stack ?? '';
      Error.stackTraceLimit = limit;
      if (/broker-connection\.ts|node_modules[\\/]mqtt[\\/]/.test(stack)) made.set(asyncId, type);
    },
    destroy(asyncId) {
      made.delete(asyncId);
    },
  }).enable();
  return {
    alive: () => [...made.values()].sort(),
    stop: (): void => void hook.disable(),
  };
}
