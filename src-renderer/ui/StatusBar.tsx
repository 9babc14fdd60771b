import { useEffect, useState } from 'react';
import { currentHost, describeHostNotice, dismissHostNotice, useHostNotice } from '../host-link.ts';
import type { ConnectionStatus } from '../../src-main/common/contract.ts';
import { chooseClock, useClock } from '../state/clock-setting.ts';
import { showBrokerPanel, useViewStore } from '../state/view-store.ts';
import { brokerPanelId } from './BrokerPanel.tsx';
import { StateCounts } from './StateCounts.tsx';
import { AlarmCounts } from './alarms/AlarmCounts.tsx';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { brokersSummary, brokerStateWords, formatSince, warningsWords } from './broker-rows.ts';
import { localZoneName, zoneLabel, type Clock } from './format.ts';
import { problemsPanelId, showProblemsPanel, useProblemsPanelOpen } from './ProblemsPanel.tsx';
import { showTopicExplorer, topicExplorerId, useTopicExplorerOpen } from './TopicExplorer.tsx';

/** More brokers than this share one indicator, so the status bar stays one line. */
const brokersShownOneByOne = 3;

/** What a replaying host calls its brokers' url: their state is the recorded one, not the broker's now. */
const recordedUrl = 'recorded';
/** What a broker's state is while the host cannot be reached: nobody can know it. */
const unknownWords = 'unknown — host unreachable';

/** A broker's tooltip: where it is, since when it is in its state, its last error and its warnings. */
function brokerTitle(connection: ConnectionStatus, clock: Clock): string {
  const where = connection.url === recordedUrl ? 'As recorded at the time shown' : connection.url;
  const lines = [where, `${brokerStateWords[connection.state].words} since ${formatSince(connection.since, Date.now(), clock)}`];
  if (connection.lastError) lines.push(`Last error: ${connection.lastError}`);
  for (const warning of connection.warnings) lines.push(`Warning: ${warning}`);
  lines.push('Click for every broker\'s counts');
  return lines.join('\n');
}

/** The status bar's broker indicators: one button per broker (or one for all of many), each opening the broker panel. */
function BrokerIndicators({ connections, reachable }: { connections: ConnectionStatus[]; reachable: boolean }) {
  const panelOpen = useViewStore((state) => state.brokerPanelOpen);
  const clock = useClock();
  const opens = { 'aria-haspopup': 'dialog', 'aria-expanded': panelOpen, 'aria-controls': brokerPanelId, onClick: () => showBrokerPanel() } as const;
  if (!reachable) {
    // The last states the host sent are history now: grey and unknown, never the last green.
    const title = 'The host cannot be reached, so the brokers\' states are unknown; the last ones it sent may no longer hold.';
    const names = connections.length > brokersShownOneByOne ? [`Brokers (${connections.length})`] : connections.map((connection) => `Broker ${connection.brokerId}`);
    return names.map((name) => (
      <button type="button" key={name} className="indicator indicator-unknown" title={title} data-broker-state="unknown" {...opens}>
        <span className="dot" aria-hidden="true" />
        {name}: {unknownWords}
      </button>
    ));
  }
  if (connections.length > brokersShownOneByOne) {
    const summary = brokersSummary(connections);
    const warned = connections.reduce((sum, connection) => sum + connection.warnings.length, 0);
    return (
      <button type="button" className={`indicator indicator-${summary.tone}`} title={connections.map((connection) => brokerTitle(connection, clock)).join('\n\n')} data-brokers-summary {...opens}>
        <span className="dot" aria-hidden="true" />
        {summary.words}
        {connections.every((connection) => connection.url === recordedUrl) ? ' (recorded)' : ''}
        {warned > 0 ? <span className="broker-warning-mark">{warningsWords(warned)}</span> : null}
      </button>
    );
  }
  return connections.map((connection) => {
    const appearance = brokerStateWords[connection.state];
    return (
      <button
        type="button"
        key={connection.brokerId}
        className={`indicator indicator-${appearance.tone}`}
        title={brokerTitle(connection, clock)}
        data-broker-state={connection.state}
        data-broker-recorded={connection.url === recordedUrl ? '' : undefined}
        {...opens}
      >
        <span className="dot" aria-hidden="true" />
        Broker {connection.brokerId}: {appearance.words}
        {connection.url === recordedUrl ? ' (recorded)' : ''}
        {connection.reconnectAttempts > 0 ? ` (attempt ${connection.reconnectAttempts})` : ''}
        {connection.warnings.length > 0 ? <span className="broker-warning-mark">{warningsWords(connection.warnings.length)}</span> : null}
      </button>
    );
  });
}

/** Title, link to the host, machines by state (filters for the list), broker indicators (which open the broker panel) and the fit-to-plant button. */
export function StatusBar({ buffer }: { buffer?: FrameBuffer }) {
  const description = useViewStore((state) => state.description);
  const hostLink = useViewStore((state) => state.hostLink);
  const hostNotice = useHostNotice((state) => state.shown);
  const connections = useViewStore((state) => state.connections);
  const diagnostics = useViewStore((state) => state.diagnostics);
  const problemCount = diagnostics ? Object.values(diagnostics.problemCounts).reduce((sum, count) => sum + count, 0) : 0;
  const views = useConnectedViews(hostLink === 'connected');
  const clock = useClock();
  return (
    <header className="status-bar">
      <span className="brand">Twinline</span>
      <span className="plant-name">{description?.sourceLabel ?? '…'}</span>
      {buffer ? <StateCounts buffer={buffer} /> : null}
      <AlarmCounts />
      <span className="spacer" />
      {hostLink !== 'connected' && !(hostNotice && !hostNotice.reconnected) ? (
        <span className={`indicator indicator-${hostLink === 'lost' ? 'bad' : 'pending'}`} role="status">
          {hostLink === 'lost' ? 'Host connection lost — data shown as offline; reconnecting…' : 'Connecting to host…'}
        </span>
      ) : null}
      {hostNotice ? (
        <span className={`indicator indicator-${hostNotice.reconnected ? 'pending' : 'bad'}`} role="status" data-host-notice={hostNotice.notice.type}>
          {describeHostNotice(hostNotice, clock)}
          {hostNotice.reconnected ? (
            <button type="button" onClick={dismissHostNotice} title="Dismiss">
              ×
            </button>
          ) : null}
        </span>
      ) : null}
      {connections.length > 0 ? (
        <span className="broker-indicators" role="status" aria-label="Brokers">
          <BrokerIndicators connections={connections} reachable={hostLink === 'connected'} />
        </span>
      ) : null}
      {views !== undefined ? (
        <span className="indicator" title="Views connected to this host, this one included" data-views={views} role="status">
          {views} view{views === 1 ? '' : 's'}
        </span>
      ) : null}
      <ProblemsChip count={problemCount} />
      <TopicsButton />
      <ClockChoice />
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

/** "4 bad messages" (or "No problems"): opens the problems panel, by mouse or keyboard. */
/** Opens and closes the topic explorer (also the T key). */
function TopicsButton() {
  const open = useTopicExplorerOpen();
  return (
    <button type="button" aria-expanded={open} aria-controls={topicExplorerId} onClick={() => showTopicExplorer()} title="Every topic on the plant's brokers, with rates and last payloads (T)">
      Topics
    </button>
  );
}

function ProblemsChip({ count }: { count: number }) {
  const open = useProblemsPanelOpen();
  const viewProblems = useViewStore((state) => state.problems.length);
  const words = count > 0 ? `${count} bad message${count === 1 ? '' : 's'}` : viewProblems > 0 ? `${viewProblems} problem${viewProblems === 1 ? '' : 's'}` : 'No problems';
  return (
    <button
      type="button"
      className={`indicator problems-chip ${count + viewProblems > 0 ? 'indicator-pending' : ''}`}
      title={count > 0 ? 'Messages that could not be used: click for the problems panel' : 'Click for the problems panel'}
      aria-expanded={open}
      aria-controls={problemsPanelId}
      data-problems={count + viewProblems}
      onClick={() => showProblemsPanel()}
    >
      {words}
    </button>
  );
}

/** The clock every time is shown in: local with its zone, or UTC; the choice is remembered. */
function ClockChoice() {
  const clock = useClock();
  const now = Date.now();
  const local = `${localZoneName(now) ?? 'local'} (UTC${zoneLabel(now, 'local')})`;
  return (
    <button
      type="button"
      className="clock-choice"
      aria-label={`Times shown in ${clock === 'utc' ? 'UTC' : `local time, ${local}`}; switch to ${clock === 'utc' ? 'local time' : 'UTC'}`}
      title={`Times are shown in ${clock === 'utc' ? 'UTC' : `local time, ${local}`}, in the timeline, lists, panels and CSV exports. Click for ${clock === 'utc' ? 'local time' : 'UTC'}.`}
      data-clock={clock}
      onClick={() => chooseClock(clock === 'utc' ? 'local' : 'utc')}
    >
      Clock: {clock === 'utc' ? 'UTC' : local}
    </button>
  );
}
