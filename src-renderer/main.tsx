import { createRoot } from 'react-dom/client';
import type { PlayerState } from '../src-main/common/contract.ts';
import type { HostClient } from '../src-main/common/host-client.ts';
import { Health } from '../src-main/common/health.ts';
import './styles.css';
import { markHostReconnected, setHostClient, showHostNotice } from './host-link.ts';
import { showSignalMetadata, useViewStore } from './state/view-store.ts';
import { applyFrame, createFrameBuffer, isFrameBatch, type FrameBuffer } from './telemetry/frame-buffer.ts';
import { connectToHost, onHostNotice } from './transport/connect-to-host.ts';
import { App } from './ui/App.tsx';

const reconnectDelayMs = 2000;
const root = createRoot(document.getElementById('root')!);
let buffer: FrameBuffer | undefined;
/** A link attempt under way, or one waiting for its turn: never two at once, however the last link ended. */
let linking = false;
let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

/** Links to the host, loads the plant and its current state, then streams frames into the buffer. */
async function link(): Promise<void> {
  const client = await connectToHost();
  try {
    await linkWith(client);
  } catch (error) {
    // A half-made link is dropped whole, so its listeners do not linger beside the next one's.
    client.close();
    throw error;
  }
}

async function linkWith(client: HostClient): Promise<void> {
  client.onProtocolError((message) => console.warn(`Twinline host: ${message}`));
  client.onClose(() => {
    // Without the host nothing is fresh: show every machine offline rather than its last colour.
    if (buffer) {
      const state = buffer.getState();
      state.machineHealth.fill(Health.offline);
      state.signalHealth.fill(Health.offline);
      buffer.setState({ version: state.version + 1 });
    }
    // The moment it was lost, kept through failed reconnects: the broker panel says since when states are unknown.
    useViewStore.setState((view) => ({ hostLink: 'lost', hostLostAt: view.hostLink === 'lost' ? view.hostLostAt : Date.now() }));
    scheduleReconnect();
  });
  const description = await client.request('getPlant', {});
  const known = useViewStore.getState().description;
  if (!buffer || !known || JSON.stringify(known.signalKeys) !== JSON.stringify(description.signalKeys)) {
    buffer = createFrameBuffer(description.signalKeys.length, description.plant.machines.length);
  }
  const target = buffer;
  // Subscribe before the snapshot: the channel is ordered, so the snapshot supersedes any earlier frame.
  client.subscribe('frame', (frame) => {
    if (isFrameBatch(frame)) applyFrame(target, frame, performance.now());
    else console.warn('Twinline host: a frame of unexpected shape was ignored');
  });
  client.subscribe('connection', (connections) => useViewStore.setState({ connections }));
  client.subscribe('diagnostics', (diagnostics) => useViewStore.setState({ diagnostics }));
  client.subscribe('metadata', showSignalMetadata);
  const showPlayer = (player: PlayerState) => {
    target.setState({ clockRate: player.mode === 'live' ? 1 : player.playing ? player.speed : 0 });
    useViewStore.setState({ player });
  };
  client.subscribe('player', showPlayer);
  const [snapshot, status, player] = await Promise.all([client.request('getSnapshot', {}), client.request('getStatus', {}), client.request('getPlayer', {})]);
  if (isFrameBatch(snapshot)) applyFrame(target, snapshot, performance.now());
  else console.warn('Twinline host: a snapshot of unexpected shape was ignored');
  showPlayer(player);
  setHostClient(client);
  markHostReconnected();
  useViewStore.setState({ description, hostLink: 'connected', connections: status.connections, diagnostics: status.diagnostics });
  showSignalMetadata(status.metadata);
  document.title = `${description.sourceLabel} — Twinline`;
  root.render(<App description={description} buffer={target} />);
}

/** Links now; a link that fails tries again after a pause. */
async function linkOnce(): Promise<void> {
  linking = true;
  try {
    await link();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.warn(`Twinline: cannot link to the host (${message}); trying again`);
    useViewStore.setState({ fatalError: message });
    linking = false;
    scheduleReconnect();
    return;
  }
  linking = false;
}

function scheduleReconnect(): void {
  if (linking || reconnectTimer !== undefined) return;
  reconnectTimer = setTimeout(() => {
    reconnectTimer = undefined;
    void linkOnce();
  }, reconnectDelayMs);
}

// The desktop shell says why the host went away (and that it restarts it); the link's own close follows.
onHostNotice(showHostNotice);
root.render(<div className="splash">Connecting to the Twinline host…</div>);
void linkOnce();
