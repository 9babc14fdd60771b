import { bridgeGlobalName, type TwinlineBridge } from '../../src-main/common/bridge.ts';
import type { MessageEndpoint } from '../../src-main/common/contract.ts';
import { HostClient } from '../../src-main/common/host-client.ts';
import { openWebSocketEndpoint } from './websocket-endpoint.ts';

/** The Electron preload's bridge, when running in the desktop app. */
function electronBridge(): TwinlineBridge | undefined {
  return (globalThis as unknown as Record<string, TwinlineBridge | undefined>)[bridgeGlobalName];
}

function bridgeEndpoint(bridge: TwinlineBridge): MessageEndpoint {
  return { send: bridge.send, onMessage: bridge.onMessage, onClose: bridge.onClose, close: () => undefined };
}

/** Connects to the host over whichever transport this page runs on; the rest of the view never knows which. */
export async function connectToHost(): Promise<HostClient> {
  const bridge = electronBridge();
  if (bridge) return new HostClient(bridgeEndpoint(bridge));
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return new HostClient(await openWebSocketEndpoint(`${scheme}//${location.host}/twinline`));
}
