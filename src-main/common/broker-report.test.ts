import { describe, expect, it } from 'vitest';
import { BrokerLogReport, describeBroker, rejectedCount, rejectionReasons } from './broker-report.ts';
import { emptyProblemCounts, type BrokerDiagnostics, type ConnectionStatus } from './contract.ts';

function status(change: Partial<ConnectionStatus> = {}): ConnectionStatus {
  return { brokerId: 'mill', url: 'mqtt://10.0.0.5:1883', state: 'connected', since: Date.UTC(2026, 10, 25, 6, 4, 51, 250), reconnectAttempts: 0, protocol: 5, subscriptions: 3, warnings: [], ...change };
}

function counts(change: Partial<BrokerDiagnostics> = {}): BrokerDiagnostics {
  return { brokerId: 'mill', messagesReceived: 1234, samplesAccepted: 1200, problemCounts: emptyProblemCounts(), clockSkewed: 0, ...change };
}

describe('describeBroker', () => {
  it('writes a connected broker with its protocol, subscriptions and counts, reasons most frequent first', () => {
    const problemCounts = { ...emptyProblemCounts(), unknownAlias: 4, malformedPayload: 30 };
    expect(describeBroker(status(), counts({ problemCounts }))).toBe(
      'broker mill: connected (MQTT 5, 3 subscriptions) received 1234 decoded 1200 rejected 34 (malformed 30, unknown alias 4)',
    );
    expect(rejectedCount(counts({ problemCounts }))).toBe(34);
    expect(rejectionReasons(counts({ problemCounts })).map((reason) => reason.kind)).toEqual(['malformedPayload', 'unknownAlias']);
  });

  it('says since when a broker is down, its attempts and its last error', () => {
    const down = status({ state: 'reconnecting', reconnectAttempts: 3, lastError: 'connect ECONNREFUSED 10.0.0.5:1883', protocol: 4, subscriptions: 0 });
    expect(describeBroker(down, counts({ clockSkewed: 7 }))).toBe(
      'broker mill: reconnecting since 2026-11-25T06:04:51Z, attempt 3, last error: connect ECONNREFUSED 10.0.0.5:1883 (MQTT 3.1.1, 0 subscriptions) received 1234 decoded 1200 rejected 0 clock-skewed 7',
    );
  });
});

describe('BrokerLogReport', () => {
  it('logs a broker only when something about it changed, so an idle log does not fill', () => {
    const report = new BrokerLogReport();
    const utilities = status({ brokerId: 'utilities', subscriptions: 1 });
    expect(report.changedLines([status(), utilities], [counts(), counts({ brokerId: 'utilities', messagesReceived: 5 })])).toHaveLength(2);
    expect(report.changedLines([status(), utilities], [counts(), counts({ brokerId: 'utilities', messagesReceived: 5 })])).toEqual([]);
    expect(report.changedLines([status(), utilities], [counts({ messagesReceived: 1235 }), counts({ brokerId: 'utilities', messagesReceived: 5 })])).toEqual([
      'broker mill: connected (MQTT 5, 3 subscriptions) received 1235 decoded 1200 rejected 0',
    ]);
  });

  it('logs a broker that went down once, not again at every reconnect attempt', () => {
    const report = new BrokerLogReport();
    report.changedLines([status()], [counts()]);
    const down = (attempt: number) => status({ state: 'reconnecting', reconnectAttempts: attempt, lastError: 'connect ECONNREFUSED', since: Date.UTC(2026, 10, 25, 7) });
    expect(report.changedLines([down(1)], [counts()])).toHaveLength(1);
    expect(report.changedLines([down(2)], [counts()])).toEqual([]);
    expect(report.changedLines([down(9)], [counts()])).toEqual([]);
    expect(report.changedLines([status({ since: Date.UTC(2026, 10, 25, 7, 1) })], [counts()])).toHaveLength(1);
  });

  it('logs warnings once at start and again when they change', () => {
    const report = new BrokerLogReport();
    const warned = status({ warnings: ['the certificate is not verified (allowUntrusted)'] });
    expect(report.warningLines([warned, status({ brokerId: 'quiet' })])).toEqual(['Warning: broker mill: the certificate is not verified (allowUntrusted)']);
    expect(report.warningLines([warned, status({ brokerId: 'quiet' })])).toEqual([]);
    expect(report.warningLines([status()])).toEqual(['broker mill: no warnings any more']);
    expect(report.warningLines([status()])).toEqual([]);
  });
});
