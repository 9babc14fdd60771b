import type { ConnectionStatus } from '../common/contract.ts';

/** One broker's state as the log writes it: `broker ID: state (error)`. */
export function connectionLine(status: ConnectionStatus): string {
  return `broker ${status.brokerId}: ${status.state}${status.lastError === undefined ? '' : ` (${status.lastError})`}`;
}

/**
 * A listener for the `connection` stream that logs a broker's line whenever its state or error
 * changes, so `serve` and `record` say at once why a broker cannot be reached; a broker that stays
 * down with the same error is logged once, not at every attempt.
 */
export function connectionChangeLogger(log: (line: string) => void): (connections: readonly ConnectionStatus[]) => void {
  const logged = new Map<string, string>();
  return (connections) => {
    for (const status of connections) {
      const line = connectionLine(status);
      if (logged.get(status.brokerId) === line) continue;
      logged.set(status.brokerId, line);
      log(line);
    }
  };
}
