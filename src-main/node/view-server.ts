import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { MessageEndpoint, TwinlineSource } from '../common/contract.ts';
import { maxViewMessageBytes, serveView } from '../common/view-session.ts';
import { contentSecurityPolicy } from '../common/content-security-policy.ts';

/** How the browser-mode server is set up. */
export interface ViewServerOptions {
  /** The source every view shares, or … */
  source?: TwinlineSource;
  /** … a source made for each view (its own player, live or replay). */
  createViewSource?: () => TwinlineSource;
  rendererDirectory: string;
  modelsDirectory: string;
  /** Loopback by default: another machine can reach the plant only when the user asks for it. */
  host?: string;
  port?: number;
}

/** A running browser-mode server. */
export interface ViewServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Path of the WebSocket that carries the contract. */
export const websocketPath = '/twinline';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.glb': 'model/gltf-binary',
  '.woff2': 'font/woff2',
};

/** A view that has fallen this far behind is cut off; it reconnects and starts from a fresh snapshot. */
const maxBufferedBytes = 32 * 1024 * 1024;

/** Serves the built renderer, the plant's models and the contract over a WebSocket. */
export async function startViewServer(options: ViewServerOptions): Promise<ViewServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => serveFile(request, response, options));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxViewMessageBytes });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== websocketPath || !isSameOrigin(request) || (isLoopbackName(host) && !hasLoopbackHostHeader(request))) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (websocket) => {
      // ws reports a view's protocol errors (e.g. a message over maxPayload) as an 'error' event after
      // closing that connection; unhandled, it would crash the whole host.
      websocket.on('error', () => undefined);
      const source = options.createViewSource?.() ?? options.source;
      if (!source) throw new Error('startViewServer needs a source or createViewSource');
      serveView(websocketEndpoint(websocket), source);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A page on another origin must not drive the host through the user's browser (cross-site WebSocket
 * hijacking, DNS rebinding): the Origin must be this server's own. Non-browser clients send none.
 */
function isSameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** Names that reach only this machine. */
function isLoopbackName(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '::1' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * On a loopback-only server, the Host header must name loopback too: a DNS-rebound page sends its own
 * name as Host and as Origin, which pass the same-origin check. Clients that send no Host are no browser.
 */
function hasLoopbackHostHeader(request: IncomingMessage): boolean {
  const host = request.headers.host;
  if (host === undefined) return true;
  try {
    return isLoopbackName(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}

/** The contract's endpoint over one WebSocket, as JSON text frames. */
export function websocketEndpoint(websocket: WebSocket): MessageEndpoint {
  return {
    send(message) {
      if (websocket.readyState !== websocket.OPEN) return;
      if (websocket.bufferedAmount > maxBufferedBytes) {
        websocket.close(1013, 'view too slow; reconnect for a fresh snapshot');
        return;
      }
      websocket.send(JSON.stringify(message));
    },
    onMessage(listener) {
      const handler = (data: Buffer, isBinary: boolean) => listener(isBinary ? undefined : data.toString('utf8'));
      websocket.on('message', handler);
      return () => websocket.off('message', handler);
    },
    onClose(listener) {
      websocket.on('close', listener);
      return () => websocket.off('close', listener);
    },
    close() {
      websocket.close();
    },
  };
}

function serveFile(request: IncomingMessage, response: ServerResponse, options: ViewServerOptions): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    response.writeHead(400).end();
    return;
  }
  const file = pathname.startsWith('/models/')
    ? insideDirectory(options.modelsDirectory, pathname.slice('/models/'.length))
    : insideDirectory(options.rendererDirectory, pathname === '/' ? 'index.html' : pathname.slice(1));
  if (file === undefined || !existsSync(file) || !statSync(file).isFile()) {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Not found: ${pathname}`);
    return;
  }
  response.writeHead(200, {
    'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file).pipe(response);
}

/** Resolves a request path inside a folder, refusing anything that would step outside it. */
function insideDirectory(directory: string, relativePath: string): string | undefined {
  if (relativePath.includes('\0')) return undefined;
  const root = normalize(directory + sep);
  const candidate = normalize(join(root, relativePath));
  return candidate.startsWith(root) ? candidate : undefined;
}
