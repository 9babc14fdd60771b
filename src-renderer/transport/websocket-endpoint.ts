import type { MessageEndpoint } from '../../src-main/common/contract.ts';
import { tokenQueryParameter, viewProtocols } from '../../src-main/common/view-token.ts';

/** The access token this page was loaded with (`?token=…` in the address the server printed), if any. */
export function pageToken(): string | undefined {
  return new URLSearchParams(location.search).get(tokenQueryParameter) ?? undefined;
}

/**
 * Opens the contract's WebSocket on the page's own host (browser mode) and resolves once it is open.
 * The token travels as a subprotocol, a header, so it stays out of the socket's URL.
 */
export function openWebSocketEndpoint(url: string, token: string | undefined = pageToken()): Promise<MessageEndpoint> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, viewProtocols(token));
    const messageListeners = new Set<(message: unknown) => void>();
    const closeListeners = new Set<() => void>();
    socket.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      for (const listener of messageListeners) listener(event.data);
    });
    socket.addEventListener('close', () => {
      for (const listener of closeListeners) listener();
    });
    socket.addEventListener('error', () => reject(new Error(`cannot reach the Twinline host at ${url}`)), { once: true });
    socket.addEventListener(
      'open',
      () =>
        resolve({
          send: (message) => {
            if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
          },
          onMessage: (listener) => {
            messageListeners.add(listener);
            return () => messageListeners.delete(listener);
          },
          onClose: (listener) => {
            closeListeners.add(listener);
            return () => closeListeners.delete(listener);
          },
          close: () => socket.close(),
        }),
      { once: true },
    );
  });
}
