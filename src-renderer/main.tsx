import { createRoot } from 'react-dom/client';
import type { PlayerState } from '../src-main/common/contract.ts';
import type { HostClient } from '../src-main/common/host-client.ts';
import { Health } from '../src-main/common/health.ts';
import './styles.css';
import { setHostClient } from './host-link.ts';
import { useViewStore } from './state/view-store.ts';
import { applyFrame, createFrameBuffer, isFrameBatch, type FrameBuffer } from './telemetry/frame-buffer.ts';
import { connectToHost } from './transport/connect-to-host.ts';
import { App } from './ui/App.tsx';

const reconnectDelayMs = 2000;
const root = createRoot(document.getElementById('root')!);
let buffer: FrameBuffer | undefined;

/** Links to the host, loads the plant and its current state, then streams frames into the buffer. */
async function link(): Promise<void> {
  let client: HostClient;
  try {
    client = await connectToHost();
  } catch {
    return scheduleReconnect();
  }
  client.onProtocolError((message) => console.warn(`Twinline host: ${message}`));
  client.onClose(() => {
    // Without the host nothing is fresh: show every machine offline rather than its last colour.
    if (buffer) {
      const state = buffer.getState();
      state.machineHealth.fill(Health.offline);
      state.signalHealth.fill(Health.offline);
      buffer.setState({ version: state.version + 1 });
    }
    useViewStore.setState({ hostLink: 'lost' });
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
  const showPlayer = (player: PlayerState) => {
    target.setState({ clockRate: player.mode === 'live' ? 1 : player.playing ? player.speed : 0 });
    useViewStore.setState({ player });
  };
  client.subscribe('player', showPlayer);
  const [snapshot, status, player] = await Promise.all([client.request('getSnapshot', {}), client.request('getStatus', {}), client.request('getPlayer', {})]);
  applyFrame(target, snapshot, performance.now());
  showPlayer(player);
  setHostClient(client);
  useViewStore.setState({ description, hostLink: 'connected', connections: status.connections, diagnostics: status.diagnostics });
  document.title = `${description.sourceLabel} — Twinline`;
  root.render(<App description={description} buffer={target} />);
}

function scheduleReconnect(): void {
  setTimeout(() => void link().catch(scheduleReconnect), reconnectDelayMs);
}

root.render(<div className="splash">Connecting to the Twinline host…</div>);
void link().catch((error: unknown) => {
  useViewStore.setState({ fatalError: error instanceof Error ? error.message : String(error) });
  scheduleReconnect();
});
