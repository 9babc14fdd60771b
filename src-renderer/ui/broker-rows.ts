import { isBrokerDown, protocolName, rejectedCount, rejectionReasons } from '../../src-main/common/broker-report.ts';
import type { BrokerDiagnostics, ConnectionStatus, Diagnostics } from '../../src-main/common/contract.ts';
import { formatMoment, sameDay, type Clock } from './format.ts';

/** How a connection state reads, in words, with a shape so colour is never the only cue. */
export const brokerStateWords = {
  connected: { words: 'connected', symbol: '●', tone: 'good' },
  connecting: { words: 'connecting…', symbol: '◌', tone: 'pending' },
  reconnecting: { words: 'reconnecting…', symbol: '✕', tone: 'bad' },
  disconnected: { words: 'disconnected', symbol: '✕', tone: 'bad' },
} as const satisfies Record<ConnectionStatus['state'], { words: string; symbol: string; tone: 'good' | 'pending' | 'bad' }>;

/** How a broker's state reads while the host cannot be reached: nobody can know it, so it is never the last one the host sent. */
export const unknownBrokerState = { words: 'unknown — host unreachable', symbol: '?', tone: 'unknown' } as const;

/** One broker as the broker panel shows it. */
export interface BrokerRow {
  brokerId: string;
  url: string;
  /** The host's last word on the connection, or unknown while the host cannot be reached. */
  state: ConnectionStatus['state'] | 'unknown';
  stateWords: string;
  symbol: string;
  tone: 'good' | 'pending' | 'bad' | 'unknown';
  /** "down since 08:16:35, attempt 3" for a broker that is down; undefined otherwise (and while the host is unreachable). */
  down: string | undefined;
  /** "The host has been unreachable since 08:16:35 …" while it is; undefined otherwise. */
  unreachable: string | undefined;
  lastError: string | undefined;
  /** "MQTT 5 · 3 subscriptions". */
  session: string;
  received: number;
  decoded: number;
  rejected: number;
  /** "malformed 30 · unknown alias 4", most frequent first; empty when nothing was rejected. */
  reasons: string;
  clockSkewed: number;
  /** Messages received per second over the last update, when known. */
  receivedPerSecond: number | undefined;
  warnings: string[];
}

/** A moment of the host's clock on the chosen clock as a time of day with its zone, with the date only when it is not today. */
export function formatSince(time: number, now: number, clock: Clock): string {
  // To the second: "08:16:35 +01:00".
  const moment = formatMoment(time, clock).replace(/\.\d /, ' ');
  return sameDay(time, now, clock) ? moment.slice(11) : moment;
}

/**
 * Each broker's connection and counts, in the host's broker order, as the broker panel lists them.
 * While the host is unreachable (`unreachableSince`, when it went) every state is unknown: the last ones
 * it sent may no longer hold, so none is shown as current, and the counts are the last it sent.
 */
export function brokerRows(
  connections: readonly ConnectionStatus[],
  diagnostics: Diagnostics | undefined,
  rates: ReadonlyMap<string, number>,
  now: number,
  clock: Clock,
  unreachableSince?: number,
): BrokerRow[] {
  return connections.map((status) => {
    const counts: BrokerDiagnostics | undefined = diagnostics?.brokers.find((entry) => entry.brokerId === status.brokerId);
    const reachable = unreachableSince === undefined;
    const appearance = reachable ? brokerStateWords[status.state] : unknownBrokerState;
    const attempt = status.reconnectAttempts > 0 ? `, attempt ${status.reconnectAttempts}` : '';
    return {
      brokerId: status.brokerId,
      url: status.url,
      state: reachable ? status.state : 'unknown',
      stateWords: appearance.words,
      symbol: appearance.symbol,
      tone: appearance.tone,
      down: reachable && isBrokerDown(status) ? `down since ${formatSince(status.since, now, clock)}${attempt}` : undefined,
      unreachable: reachable ? undefined : `State unknown: the host has been unreachable since ${formatSince(unreachableSince, now, clock)}; the counts are the last it sent.`,
      lastError: status.lastError,
      session: `${protocolName(status.protocol)} · ${status.subscriptions} subscription${status.subscriptions === 1 ? '' : 's'}`,
      received: counts?.messagesReceived ?? 0,
      decoded: counts?.samplesAccepted ?? 0,
      rejected: counts ? rejectedCount(counts) : 0,
      reasons: counts ? rejectionReasons(counts).map((reason) => `${reason.words} ${reason.count}`).join(' · ') : '',
      clockSkewed: counts?.clockSkewed ?? 0,
      // A rate needs two fresh counts: without the host there are none.
      receivedPerSecond: reachable ? rates.get(status.brokerId) : undefined,
      warnings: status.warnings,
    };
  });
}

/** The counts of one diagnostics update and when it came, to tell the next one's rate. */
export interface CountsAt {
  time: number;
  diagnostics: Diagnostics;
}

/** Messages received per second by each broker between two diagnostics updates; a counter that went back (a restarted host) gives none. */
export function receiveRates(previous: CountsAt | undefined, current: CountsAt): Map<string, number> {
  const rates = new Map<string, number>();
  const elapsed = previous ? (current.time - previous.time) / 1000 : 0;
  if (!previous || elapsed <= 0) return rates;
  for (const broker of current.diagnostics.brokers) {
    const before = previous.diagnostics.brokers.find((entry) => entry.brokerId === broker.brokerId);
    if (before && broker.messagesReceived >= before.messagesReceived) rates.set(broker.brokerId, (broker.messagesReceived - before.messagesReceived) / elapsed);
  }
  return rates;
}

/** The status bar's words for several brokers at once, e.g. "Brokers: 4 of 5 connected". */
export function brokersSummary(connections: readonly ConnectionStatus[]): { words: string; tone: 'good' | 'pending' | 'bad' } {
  const connected = connections.filter((status) => status.state === 'connected').length;
  const down = connections.filter(isBrokerDown).length;
  return { words: `Brokers: ${connected} of ${connections.length} connected`, tone: down > 0 ? 'bad' : connected < connections.length ? 'pending' : 'good' };
}

/** A broker's warnings as the status bar names them: "⚠ 1 warning". */
export function warningsWords(count: number): string {
  return `⚠ ${count} warning${count === 1 ? '' : 's'}`;
}
