import type { BrokerDiagnostics, ConnectionStatus, ProblemKind } from './contract.ts';

/** Each reason a message or sample is rejected, in the few words a count beside it needs. */
export const rejectionWords = {
  malformedPayload: 'malformed',
  wrongType: 'wrong type',
  missingField: 'missing field',
  unknownTopic: 'unknown topic',
  oversizePayload: 'oversize',
  unknownState: 'unknown state',
  unknownAlias: 'unknown alias',
  dataBeforeBirth: 'data before birth',
} as const satisfies Record<ProblemKind, string>;

/** The MQTT version a connection speaks, as people name it. */
export function protocolName(protocol: ConnectionStatus['protocol']): string {
  return protocol === 5 ? 'MQTT 5' : 'MQTT 3.1.1';
}

/** How many messages or samples a broker's diagnostics rejected, all reasons together. */
export function rejectedCount(diagnostics: BrokerDiagnostics): number {
  let total = 0;
  for (const count of Object.values(diagnostics.problemCounts)) total += count;
  return total;
}

/** The reasons that rejected anything, most frequent first, with their counts. */
export function rejectionReasons(diagnostics: BrokerDiagnostics): Array<{ kind: ProblemKind; words: string; count: number }> {
  return (Object.entries(diagnostics.problemCounts) as Array<[ProblemKind, number]>)
    .filter(([, count]) => count > 0)
    .sort(([, a], [, b]) => b - a)
    .map(([kind, count]) => ({ kind, words: rejectionWords[kind], count }));
}

/** Whether a connection is down: not connected and not on its first attempt. */
export function isBrokerDown(status: ConnectionStatus): boolean {
  return status.state === 'reconnecting' || status.state === 'disconnected';
}

/** A moment as an ISO 8601 UTC time to the second, as logs write it. */
function isoSecond(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * One broker as the `serve`/`record` log reports it, e.g.
 * `broker mill: connected (MQTT 5, 3 subscriptions) received 1234 decoded 1200 rejected 34 (malformed 30, unknown alias 4)`;
 * a broker that is down says since when, how many attempts and its last error.
 */
export function describeBroker(status: ConnectionStatus, diagnostics: BrokerDiagnostics | undefined): string {
  const subscriptions = `${status.subscriptions} subscription${status.subscriptions === 1 ? '' : 's'}`;
  let line = `broker ${status.brokerId}: ${status.state}`;
  if (isBrokerDown(status)) {
    line += ` since ${isoSecond(status.since)}`;
    if (status.reconnectAttempts > 0) line += `, attempt ${status.reconnectAttempts}`;
  }
  if (status.lastError !== undefined) line += `, last error: ${status.lastError}`;
  line += ` (${protocolName(status.protocol)}, ${subscriptions})`;
  if (!diagnostics) return line;
  line += ` received ${diagnostics.messagesReceived} decoded ${diagnostics.samplesAccepted} rejected ${rejectedCount(diagnostics)}`;
  const reasons = rejectionReasons(diagnostics);
  if (reasons.length > 0) line += ` (${reasons.map((reason) => `${reason.words} ${reason.count}`).join(', ')})`;
  if (diagnostics.clockSkewed > 0) line += ` clock-skewed ${diagnostics.clockSkewed}`;
  return line;
}

/**
 * Decides what the periodic broker report logs: a broker's line only when its state, error, counts or
 * subscriptions changed since it was last logged (so an idle host does not fill its log), and its
 * warnings once, then again whenever they change.
 */
export class BrokerLogReport {
  private readonly lastReported = new Map<string, string>();
  private readonly lastWarnings = new Map<string, string>();

  /** The lines to log now for these brokers: each one that changed since its last line. */
  changedLines(connections: readonly ConnectionStatus[], diagnostics: readonly BrokerDiagnostics[]): string[] {
    const lines: string[] = [];
    for (const status of connections) {
      const counts = diagnostics.find((entry) => entry.brokerId === status.brokerId);
      const line = describeBroker(status, counts);
      // The attempt count is not a change worth a line: an hour-long outage would write one per attempt.
      const key = describeBroker({ ...status, reconnectAttempts: 0 }, counts);
      if (this.lastReported.get(status.brokerId) === key) continue;
      this.lastReported.set(status.brokerId, key);
      lines.push(line);
    }
    return lines;
  }

  /** Lines for brokers whose warnings are new or changed since last asked; a broker whose warnings cleared says so. */
  warningLines(connections: readonly ConnectionStatus[]): string[] {
    const lines: string[] = [];
    for (const status of connections) {
      const key = status.warnings.join('\n');
      const previous = this.lastWarnings.get(status.brokerId);
      if (previous === key || (previous === undefined && key === '')) continue;
      this.lastWarnings.set(status.brokerId, key);
      if (status.warnings.length === 0) lines.push(`broker ${status.brokerId}: no warnings any more`);
      for (const warning of status.warnings) lines.push(`Warning: broker ${status.brokerId}: ${warning}`);
    }
    return lines;
  }
}
