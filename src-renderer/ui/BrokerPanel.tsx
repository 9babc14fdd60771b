import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Diagnostics } from '../../src-main/common/contract.ts';
import { useClock } from '../state/clock-setting.ts';
import { showBrokerPanel, useViewStore } from '../state/view-store.ts';
import { brokerRows, receiveRates, type BrokerRow, type CountsAt } from './broker-rows.ts';
import { compactCount } from './format.ts';

/** Id of the broker panel, for the status bar buttons that open it. */
export const brokerPanelId = 'broker-panel';

/** Messages per second per broker, from the diagnostics stream's once-a-second updates. */
function useReceiveRates(diagnostics: Diagnostics | undefined): ReadonlyMap<string, number> {
  const previous = useRef<CountsAt | undefined>(undefined);
  const [rates, setRates] = useState<ReadonlyMap<string, number>>(new Map());
  useEffect(() => {
    if (!diagnostics) return;
    const current = { time: performance.now(), diagnostics };
    setRates(receiveRates(previous.current, current));
    previous.current = current;
  }, [diagnostics]);
  return rates;
}

/** The time shown as "since", which moves on even while no update arrives. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** A count, compact at a glance and exact on hover, with the exact number for tests and tools. */
function Count({ value, name }: { value: number; name: string }) {
  return (
    <span title={`${value.toLocaleString('en-US')} ${name}`} data-count={name} data-value={value}>
      {compactCount(value)}
    </span>
  );
}

function BrokerEntry({ row }: { row: BrokerRow }) {
  const details = row.down !== undefined || row.unreachable !== undefined || row.lastError !== undefined || row.warnings.length > 0 || row.clockSkewed > 0;
  return (
    <tbody data-broker={row.brokerId} data-broker-state={row.state}>
      <tr>
        <th scope="row">
          {row.brokerId}
          {row.warnings.length > 0 ? (
            <span className="broker-warning-mark" title={row.warnings.join('\n')}>
              {' '}⚠<span className="visually-hidden"> has warnings</span>
            </span>
          ) : null}
          <small>{row.url}</small>
        </th>
        <td>
          <span className={`broker-state indicator-${row.tone}`}>
            <span aria-hidden="true">{row.symbol}</span> {row.stateWords}
          </span>
          <small>{row.session}</small>
        </td>
        <td className="number">
          <Count value={row.received} name="received" />
          {row.receivedPerSecond === undefined ? null : <small>{compactCount(row.receivedPerSecond)}/s</small>}
        </td>
        <td className="number">
          <Count value={row.decoded} name="decoded" />
        </td>
        <td className="number">
          <Count value={row.rejected} name="rejected" />
          {row.reasons ? <small>{row.reasons}</small> : null}
        </td>
      </tr>
      {details ? (
        <tr className="broker-details">
          <td colSpan={5}>
            {row.down !== undefined ? <p className="broker-down">{row.down}</p> : null}
            {row.unreachable !== undefined ? <p className="broker-unreachable">{row.unreachable}</p> : null}
            {row.lastError !== undefined ? (
              <p className="broker-error">
                Last error: <span>{row.lastError}</span>
              </p>
            ) : null}
            {row.warnings.length > 0 ? (
              <ul className="broker-warnings" aria-label={`Warnings about broker ${row.brokerId}`}>
                {row.warnings.map((warning) => (
                  <li key={warning}>
                    <span aria-hidden="true">⚠</span> Warning: {warning}
                  </li>
                ))}
              </ul>
            ) : null}
            {row.clockSkewed > 0 ? (
              <p className="broker-skew">
                {row.clockSkewed.toLocaleString('en-US')} sample{row.clockSkewed === 1 ? '' : 's'} carried a time too far from the host's clock; their receive time was used.
              </p>
            ) : null}
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

/** Each broker's connection, session and counts (received, decoded, rejected by reason), opened from the status bar. */
export function BrokerPanel() {
  const open = useViewStore((state) => state.brokerPanelOpen);
  if (!open) return null;
  return <OpenBrokerPanel />;
}

function OpenBrokerPanel() {
  const connections = useViewStore((state) => state.connections);
  const diagnostics = useViewStore((state) => state.diagnostics);
  const reachable = useViewStore((state) => state.hostLink === 'connected');
  const lostAt = useViewStore((state) => state.hostLostAt);
  const clock = useClock();
  const rates = useReceiveRates(diagnostics);
  const now = useNow(1000);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    // Focus moves into the panel, and back to whatever opened it when it closes, so a keyboard user is never lost.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    panel.current?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    // Escape closes this panel only, not the inspector behind it as well.
    event.stopPropagation();
    showBrokerPanel(false);
  };
  // Before the first link nothing is listed; after a loss, since when it was lost (or now, if that went unrecorded).
  const rows = brokerRows(connections, diagnostics, rates, now, clock, reachable ? undefined : (lostAt ?? now));
  const connected = rows.filter((row) => row.state === 'connected').length;
  return (
    <section id={brokerPanelId} ref={panel} className="broker-panel" role="dialog" aria-modal="false" aria-labelledby="broker-panel-title" tabIndex={-1} onKeyDown={onKeyDown}>
      <header>
        <h2 id="broker-panel-title">Brokers</h2>
        <span className="broker-panel-summary">
          {reachable ? `${connected} of ${rows.length} connected` : 'host unreachable: states unknown'}
        </span>
        <button type="button" className="close" aria-label="Close the broker panel" onClick={() => showBrokerPanel(false)}>
          ×
        </button>
      </header>
      {rows.length === 0 ? (
        <p className="broker-none">This view has no live brokers (it replays a recording).</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Broker</th>
              <th scope="col">Connection</th>
              <th scope="col" className="number" title="MQTT messages received">
                Received
              </th>
              <th scope="col" className="number" title="Samples decoded into signals">
                Decoded
              </th>
              <th scope="col" className="number" title="Messages or samples refused, by reason">
                Rejected
              </th>
            </tr>
          </thead>
          {rows.map((row) => (
            <BrokerEntry key={row.brokerId} row={row} />
          ))}
        </table>
      )}
    </section>
  );
}
