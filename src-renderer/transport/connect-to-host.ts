import type { HostNotice, TwinlineBridge } from '../../src-main/common/bridge.ts';
import type { MessageEndpoint } from '../../src-main/common/contract.ts';
import { HostClient } from '../../src-main/common/host-client.ts';
import { electronBridge } from './electron-bridge.ts';
import { openWebSocketEndpoint } from './websocket-endpoint.ts';

/** The bridge's current link as an endpoint; closing it drops its listeners, so a client that gave up hears nothing more. */
function bridgeEndpoint(bridge: TwinlineBridge): MessageEndpoint {
  const stops: Array<() => void> = [];
  const kept = (stop: () => void) => {
    stops.push(stop);
    return stop;
  };
  return {
    send: (message) => bridge.send(message),
    onMessage: (listener) => kept(bridge.onMessage(listener)),
    onClose: (listener) => kept(bridge.onClose(listener)),
    close: () => {
      for (const stop of stops.splice(0)) stop();
    },
  };
}

/** Connects to the host over whichever transport this page runs on; the rest of the view never knows which. */
export async function connectToHost(): Promise<HostClient> {
  const bridge = electronBridge();
  if (bridge) return new HostClient(bridgeEndpoint(bridge));
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return new HostClient(await openWebSocketEndpoint(`${scheme}//${location.host}/twinline`));
}

/** Listens for what the desktop shell says about the host (it stopped and restarts, it failed); a browser has no shell, so nothing is said. */
export function onHostNotice(listener: (notice: HostNotice) => void): () => void {
  return electronBridge()?.onHostNotice(listener) ?? (() => undefined);
}
