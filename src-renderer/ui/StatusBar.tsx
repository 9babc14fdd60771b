import { useEffect, useState } from 'react';
import { currentHost, describeHostNotice, dismissHostNotice, useHostNotice } from '../host-link.ts';
import { useViewStore } from '../state/view-store.ts';

const brokerWords = { connected: 'connected', connecting: 'connecting…', reconnecting: 'reconnecting…', disconnected: 'disconnected' } as const;

/** Title, link to the host, broker connection indicator and the fit-to-plant button. */
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
      {connections.map((connection) => (
        <span
          key={connection.brokerId}
          className={`indicator indicator-${connection.state === 'connected' ? 'good' : connection.state === 'connecting' ? 'pending' : 'bad'}`}
          title={`${connection.url}${connection.lastError ? `\nLast error: ${connection.lastError}` : ''}`}
          data-broker-state={connection.state}
          role="status"
        >
          <span className="dot" aria-hidden="true" />
          Broker {connection.brokerId}: {brokerWords[connection.state]}
          {connection.reconnectAttempts > 0 ? ` (attempt ${connection.reconnectAttempts})` : ''}
        </span>
      ))}
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
