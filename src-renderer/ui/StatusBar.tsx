import { useEffect, useState } from 'react';
import { currentHost, describeHostNotice, dismissHostNotice, useHostNotice } from '../host-link.ts';
import type { ConnectionStatus } from '../../src-main/common/contract.ts';
import { showBrokerPanel, useViewStore } from '../state/view-store.ts';
import { brokerPanelId } from './BrokerPanel.tsx';
import { brokersSummary, brokerStateWords, formatSince, warningsWords } from './broker-rows.ts';

/** More brokers than this share one indicator, so the status bar stays one line. */
const brokersShownOneByOne = 3;

/** A broker's tooltip: where it is, since when it is in its state, its last error and its warnings. */
function brokerTitle(connection: ConnectionStatus): string {
  const lines = [connection.url, `${brokerStateWords[connection.state].words} since ${formatSince(connection.since, Date.now())}`];
  if (connection.lastError) lines.push(`Last error: ${connection.lastError}`);
  for (const warning of connection.warnings) lines.push(`Warning: ${warning}`);
  lines.push('Click for every broker\'s counts');
  return lines.join('\n');
}

/** The status bar's broker indicators: one button per broker (or one for all of many), each opening the broker panel. */
function BrokerIndicators({ connections }: { connections: ConnectionStatus[] }) {
  const panelOpen = useViewStore((state) => state.brokerPanelOpen);
  const opens = { 'aria-haspopup': 'dialog', 'aria-expanded': panelOpen, 'aria-controls': brokerPanelId, onClick: () => showBrokerPanel() } as const;
  if (connections.length > brokersShownOneByOne) {
    const summary = brokersSummary(connections);
    const warned = connections.reduce((sum, connection) => sum + connection.warnings.length, 0);
    return (
      <button type="button" className={`indicator indicator-${summary.tone}`} title={connections.map(brokerTitle).join('\n\n')} data-brokers-summary {...opens}>
        <span className="dot" aria-hidden="true" />
        {summary.words}
        {warned > 0 ? <span className="broker-warning-mark">{warningsWords(warned)}</span> : null}
      </button>
    );
  }
  return connections.map((connection) => {
    const appearance = brokerStateWords[connection.state];
    return (
      <button type="button" key={connection.brokerId} className={`indicator indicator-${appearance.tone}`} title={brokerTitle(connection)} data-broker-state={connection.state} {...opens}>
        <span className="dot" aria-hidden="true" />
        Broker {connection.brokerId}: {appearance.words}
        {connection.reconnectAttempts > 0 ? ` (attempt ${connection.reconnectAttempts})` : ''}
        {connection.warnings.length > 0 ? <span className="broker-warning-mark">{warningsWords(connection.warnings.length)}</span> : null}
      </button>
    );
  });
}

/** Title, link to the host, broker indicators (which open the broker panel) and the fit-to-plant button. */
export function StatusBar() {
  const description = useViewStore((state) => state.description);
  const hostLink = useViewStore((state) => state.hostLink);
  const hostNotice = useHostNotice((state) => state.shown);
  const connections = useViewStore((state) => state.connections);
  const diagnostics = useViewStore((state) => state.diagnostics);
  const problemCount = diagnostics ? Object.values(diagnostics.problemCounts).reduce((sum, count) => sum + count, 0) : 0;
  const views = useConnectedViews(hostLink === 'connected');
  return (
    <header className="status-bar">
      <span className="brand">Twinline</span>
      <span className="plant-name">{description?.sourceLabel ?? '…'}</span>
      <span className="spacer" />
      {hostLink !== 'connected' && !(hostNotice && !hostNotice.reconnected) ? (
        <span className={`indicator indicator-${hostLink === 'lost' ? 'bad' : 'pending'}`} role="status">
          {hostLink === 'lost' ? 'Host connection lost — data shown as offline; reconnecting…' : 'Connecting to host…'}
        </span>
      ) : null}
      {hostNotice ? (
        <span className={`indicator indicator-${hostNotice.reconnected ? 'pending' : 'bad'}`} role="status" data-host-notice={hostNotice.notice.type}>
          {describeHostNotice(hostNotice)}
          {hostNotice.reconnected ? (
            <button type="button" onClick={dismissHostNotice} title="Dismiss">
              ×
            </button>
          ) : null}
        </span>
      ) : null}
      {connections.length > 0 ? (
        <span className="broker-indicators" role="status" aria-label="Brokers">
          <BrokerIndicators connections={connections} />
        </span>
      ) : null}
      {views !== undefined ? (
        <span className="indicator" title="Views connected to this host, this one included" data-views={views} role="status">
          {views} view{views === 1 ? '' : 's'}
        </span>
      ) : null}
      {problemCount > 0 ? (
        <span className="indicator indicator-pending" title="Messages that could not be used; see the problems panel">
          {problemCount} bad message{problemCount === 1 ? '' : 's'}
        </span>
      ) : null}
      <button type="button" onClick={() => useViewStore.setState((state) => ({ fitRequest: state.fitRequest + 1 }))} title="Frame the whole plant (F)">
        Fit plant
      </button>
    </header>
  );
}

/**
 * How many views the host has connected, from its `views` stream; undefined while unlinked or when the
 * host does not count (the desktop app, one window per host link).
 */
function useConnectedViews(linked: boolean): number | undefined {
  const [views, setViews] = useState<number | undefined>(undefined);
  useEffect(() => {
    const host = linked ? currentHost() : undefined;
    if (!host) {
      setViews(undefined);
      return;
    }
    // Each new link to the host (after a reconnect) subscribes again; the old link's listener goes with it.
    const stop = host.subscribe('views', (count) => setViews(count.connected));
    return () => {
      stop();
      setViews(undefined);
    };
  }, [linked]);
  return views;
}
