import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import type { MessageEndpoint } from '../src-main/common/contract.ts';
import { HostClient } from '../src-main/common/host-client.ts';
import { websocketEndpoint, websocketPath } from '../src-main/node/view-server.ts';

/** What crossed one view's connection, and how it ended. */
export interface ViewTraffic {
  messages: number;
  characters: number;
  /** Wall time spent in the view's handling of messages (HostClient parsing and the listeners). */
  handlerMilliseconds: number;
  /** Set when the connection closed: the code and reason the host gave, if any. */
  closed: { code: number; reason: string } | undefined;
  /** What HostClient found wrong in the host's messages, in order. */
  protocolErrors: string[];
}

/** A view connected to a host's view server, as browser mode connects one. */
export interface ConnectedView {
  client: HostClient;
  traffic: ViewTraffic;
  close(): void;
}

/** How a benchmark's view handles what arrives. */
export interface ConnectViewOptions {
  /**
   * Sees each text message as the bytes that arrived, before HostClient decodes and parses it; returns
   * true when it has handled the message itself (a busy view that counts frames rather than parsing each).
   */
  takeMessage?(bytes: Buffer): boolean;
}

/** Opens the contract's WebSocket on 127.0.0.1:`port` and puts a `HostClient` on it, counting what arrives. */
export async function connectView(port: number, options: ConnectViewOptions = {}): Promise<ConnectedView> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}${websocketPath}`);
  const traffic: ViewTraffic = { messages: 0, characters: 0, handlerMilliseconds: 0, closed: undefined, protocolErrors: [] };
  // A refused or reset connection is reported through `closed` and the failed open below.
  socket.on('error', (error) => traffic.protocolErrors.push(`socket error: ${error.message}`));
  socket.on('close', (code, reason) => (traffic.closed = { code, reason: reason.toString('utf8') }));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const transport = websocketEndpoint(socket);
  const takeMessage = options.takeMessage;
  const endpoint: MessageEndpoint = {
    ...transport,
    onMessage: takeMessage
      ? (listener) => {
          // As websocketEndpoint's onMessage, with the bytes offered to takeMessage before they are decoded.
          const handler = (data: Buffer, isBinary: boolean) => {
            traffic.messages++;
            const started = performance.now();
            if (isBinary) listener(undefined);
            else if (!takeMessage(data)) {
              const text = data.toString('utf8');
              traffic.characters += text.length;
              listener(text);
            }
            traffic.handlerMilliseconds += performance.now() - started;
          };
          socket.on('message', handler);
          return () => socket.off('message', handler);
        }
      : (listener) =>
          transport.onMessage((message) => {
            traffic.messages++;
            if (typeof message === 'string') traffic.characters += message.length;
            const started = performance.now();
            listener(message);
            traffic.handlerMilliseconds += performance.now() - started;
          }),
  };
  const client = new HostClient(endpoint);
  client.onProtocolError((message) => traffic.protocolErrors.push(message));
  return { client, traffic, close: () => client.close() };
}
