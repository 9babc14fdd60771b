import { describe, expect, it } from 'vitest';
import { emptyProblemCounts, type ConnectionStatus, type Diagnostics } from '../../src-main/common/contract.ts';
import { brokerRows, brokersSummary, formatSince, receiveRates } from './broker-rows.ts';

// Local times are Chicago's, so the zone each time is written with shows.
process.env.TZ = 'America/Chicago';
const now = new Date(2026, 10, 25, 8, 30, 0).getTime();

function status(change: Partial<ConnectionStatus> = {}): ConnectionStatus {
  return { brokerId: 'mill', url: 'mqtts://mill.example:8883', state: 'connected', since: now - 60_000, reconnectAttempts: 0, protocol: 5, subscriptions: 3, warnings: [], ...change };
}

function diagnostics(received: Record<string, number>): Diagnostics {
  return {
    messagesReceived: 0,
    samplesAccepted: 0,
    problemCounts: emptyProblemCounts(),
    recentProblems: [],
    brokers: Object.entries(received).map(([brokerId, messagesReceived]) => ({
      brokerId,
      messagesReceived,
      samplesAccepted: messagesReceived - 5,
      problemCounts: { ...emptyProblemCounts(), malformedPayload: 3, dataBeforeBirth: 2 },
      clockSkewed: 0,
    })),
  };
}

describe('brokerRows', () => {
  it('gives each broker its session, counts and rejections by reason, most frequent first', () => {
    const [row] = brokerRows([status()], diagnostics({ mill: 1234 }), new Map([['mill', 52]]), now, 'local');
    expect(row).toMatchObject({
      brokerId: 'mill',
      stateWords: 'connected',
      tone: 'good',
      down: undefined,
      session: 'MQTT 5 · 3 subscriptions',
      received: 1234,
      decoded: 1229,
      rejected: 5,
      reasons: 'malformed 3 · data before birth 2',
      receivedPerSecond: 52,
    });
  });

  it('says since when a broker is down, its attempts, its last error and its warnings', () => {
    const since = new Date(2026, 10, 25, 8, 16, 35, 800).getTime();
    const down = status({ state: 'reconnecting', since, reconnectAttempts: 3, lastError: 'connect ECONNREFUSED', protocol: 4, subscriptions: 0, warnings: ['the certificate is not verified'] });
    const [row] = brokerRows([down], undefined, new Map(), now, 'local');
    expect(row).toMatchObject({
      stateWords: 'reconnecting…',
      symbol: '✕',
      tone: 'bad',
      down: 'down since 08:16:35 -06:00, attempt 3',
      lastError: 'connect ECONNREFUSED',
      session: 'MQTT 3.1.1 · 0 subscriptions',
      received: 0,
      warnings: ['the certificate is not verified'],
    });
  });

  it('while the host is unreachable says every state is unknown and since when, never the last one the host sent', () => {
    const lostAt = new Date(2026, 10, 25, 8, 29, 12, 400).getTime();
    const last = [status(), status({ brokerId: 'utilities', state: 'reconnecting', since: now - 600_000, reconnectAttempts: 4, lastError: 'connect ECONNREFUSED' })];
    const rows = brokerRows(last, diagnostics({ mill: 1234, utilities: 7 }), new Map([['mill', 52]]), now, 'local', lostAt);
    for (const row of rows) {
      expect(row).toMatchObject({ state: 'unknown', stateWords: 'unknown — host unreachable', symbol: '?', tone: 'unknown', down: undefined, receivedPerSecond: undefined });
      expect(row.unreachable).toBe('State unknown: the host has been unreachable since 08:29:12 -06:00; the counts are the last it sent.');
      // Nothing in the row reads as a current connection.
      expect(JSON.stringify(row)).not.toMatch(/connected|reconnecting|down since/);
    }
    // The last counts stay, as the last the host sent.
    expect(rows.map((row) => row.received)).toEqual([1234, 7]);
    // Reachable again: the host's own states.
    expect(brokerRows(last, undefined, new Map(), now, 'utc').map((row) => [row.state, row.unreachable])).toEqual([
      ['connected', undefined],
      ['reconnecting', undefined],
    ]);
  });

  it('names the day of a "since" that is not today', () => {
    expect(formatSince(new Date(2026, 10, 24, 23, 59, 1).getTime(), now, 'local')).toBe('2026-11-24 23:59:01 -06:00');
    expect(formatSince(new Date(2026, 10, 25, 0, 0, 1).getTime(), now, 'local')).toBe('00:00:01 -06:00');
    // On UTC the same moments are the next morning's.
    expect(formatSince(new Date(2026, 10, 24, 23, 59, 1).getTime(), now, 'utc')).toBe('05:59:01 UTC');
  });
});

describe('receiveRates', () => {
  it('is messages per second between two updates, and none for a counter that went back', () => {
    const rates = receiveRates({ time: 1000, diagnostics: diagnostics({ mill: 100, utilities: 500 }) }, { time: 3000, diagnostics: diagnostics({ mill: 300, utilities: 20 }) });
    expect(rates.get('mill')).toBe(100);
    expect(rates.has('utilities')).toBe(false);
    expect(receiveRates(undefined, { time: 1000, diagnostics: diagnostics({ mill: 1 }) }).size).toBe(0);
  });
});

describe('brokersSummary', () => {
  it('counts connected brokers and takes the tone of the worst', () => {
    expect(brokersSummary([status(), status({ brokerId: 'b', state: 'connecting' })])).toEqual({ words: 'Brokers: 1 of 2 connected', tone: 'pending' });
    expect(brokersSummary([status(), status({ brokerId: 'b', state: 'reconnecting' }), status({ brokerId: 'c', state: 'connecting' })]).tone).toBe('bad');
  });
});
