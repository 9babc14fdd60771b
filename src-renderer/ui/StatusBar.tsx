import { useViewStore } from '../state/view-store.ts';

const brokerWords = { connected: 'connected', connecting: 'connecting…', reconnecting: 'reconnecting…', disconnected: 'disconnected' } as const;

/** Title, link to the host, broker connection indicator and the fit-to-plant button. */
export function StatusBar() {
  const description = useViewStore((state) => state.description);
  const hostLink = useViewStore((state) => state.hostLink);
  const connections = useViewStore((state) => state.connections);
  const diagnostics = useViewStore((state) => state.diagnostics);
  const problemCount = diagnostics ? Object.values(diagnostics.problemCounts).reduce((sum, count) => sum + count, 0) : 0;
  return (
    <header className="status-bar">
      <span className="brand">Twinline</span>
      <span className="plant-name">{description?.sourceLabel ?? '…'}</span>
      <span className="spacer" />
      {hostLink !== 'connected' ? (
        <span className={`indicator indicator-${hostLink === 'lost' ? 'bad' : 'pending'}`} role="status">
          {hostLink === 'lost' ? 'Host connection lost — data shown as offline; reconnecting…' : 'Connecting to host…'}
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
