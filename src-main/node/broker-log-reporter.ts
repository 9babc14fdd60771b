import { BrokerLogReport } from '../common/broker-report.ts';
import type { LiveSource } from './live-source.ts';

/** How often each broker's counts are logged (only when something changed). */
export const brokerReportIntervalMs = 10_000;

/**
 * Logs each broker's state and counts every 10 s when something changed, and its warnings at start
 * and whenever they change: the same lines for `serve`, `record` and the desktop host's log.
 * Returns the function that stops it.
 */
export function startBrokerLogReport(source: LiveSource, log: (line: string) => void, logWarning: (line: string) => void): () => void {
  const report = new BrokerLogReport();
  const logWarnings = () => report.warningLines(source.connections()).forEach(logWarning);
  logWarnings();
  const stopWatching = source.subscribe('connection', logWarnings);
  const timer = setInterval(() => {
    try {
      report.changedLines(source.connections(), source.diagnostics().brokers).forEach(log);
    } catch (error) {
      logWarning(`Twinline: logging the brokers' counts failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }, brokerReportIntervalMs);
  return () => {
    clearInterval(timer);
    stopWatching();
  };
}
