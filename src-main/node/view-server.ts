import { incidentDownload } from './packages/incident-download.ts';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { hostname } from 'node:os';
import { extname } from 'node:path';
import { pipeline } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { MessageEndpoint, TwinlineSource } from '../common/contract.ts';
import { contentSecurityPolicyFor } from '../common/content-security-policy.ts';
import { maxViewMessageBytes, serveView } from '../common/view-session.ts';
import { tokenQueryParameter, viewProtocol } from '../common/view-token.ts';
import { resolveFileInside, resolveModelFile } from './resolve-served-file.ts';
import { defaultViewBufferLimits, ThrottledViewEndpoint, type ViewBufferLimits } from './throttled-view-endpoint.ts';
import { checkAccessToken, createAccessToken, hasLoopbackHostHeader, isLoopbackName, isSameOrigin, presentedToken, tokenCookie } from './view-access.ts';
import { ViewCounter, withViewCount } from './view-count.ts';

/** How the browser-mode server is set up. */
export interface ViewServerOptions {
  /** The source every view shares, or … */
  source?: TwinlineSource;
  /** … a source made for each view (its own player, live or replay). */
  createViewSource?: () => TwinlineSource;
  rendererDirectory: string;
  modelsDirectory: string;
  /** The model files the plant names (`plantModelFiles`): the only files served under /models/; none when not given. */
  modelFiles?: ReadonlySet<string>;
  /** Loopback by default: another machine can reach the plant only when the user asks for it. */
  host?: string;
  port?: number;
  /**
   * The access token every request must carry. Made up at random when the host is not loopback; when
   * given, it is required on loopback too. Loopback without one stays token-free.
   */
  token?: string;
  /** Most views connected at once (default 32); the next one is refused with 503 until one leaves. */
  maxViews?: number;
  /** How far views may fall behind; see `defaultViewBufferLimits`. */
  bufferLimits?: Partial<ViewBufferLimits>;
  /** How often views are pinged; one that has not answered the previous ping by then is dropped (default 30 s). */
  heartbeatMs?: number;
  /** Where problems with views and requests are told (default: standard error). */
  log?: (line: string) => void;
  /** The folder of incident packages saved from views, downloadable under /incidents/ (only files named as the host names them); none when not given. */
  incidentsDirectory?: string;
}

/** A running browser-mode server. */
export interface ViewServer {
  /** The address to open; it carries the access token when one is required. */
  url: string;
  port: number;
  /** The access token, when one is required. */
  token: string | undefined;
  /** Views connected now. */
  views(): number;
  /** Bytes waiting to be sent to all views together: what slow views cost the host. */
  bufferedBytes(): number;
  /** Closes every view's connection with `reason` (WebSocket code 1012, service restart); views link again and load the plant anew. */
  reconnectViews(reason: string): void;
  close(): Promise<void>;
}

/** Path of the WebSocket that carries the contract. */
export const websocketPath = '/twinline';

/** Most views connected at once, unless told otherwise. */
export const defaultMaxViews = 32;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ktx2': 'image/ktx2',
  '.woff2': 'font/woff2',
};

/** A client-side view that has this much waiting to go out is cut off (the server's views use `ThrottledViewEndpoint`). */
const maxBufferedBytes = 32 * 1024 * 1024;

/**
 * Serves the built renderer, the plant's models and the contract over a WebSocket. On loopback, every
 * request must name loopback as its Host (DNS rebinding); elsewhere, every request must carry the
 * access token. Views are capped in number and in the bytes they may keep waiting.
 */
export async function startViewServer(options: ViewServerOptions): Promise<ViewServer> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopbackName(host);
  const token = options.token !== undefined ? checkAccessToken(options.token) : loopback ? undefined : createAccessToken();
  const log = options.log ?? ((line: string) => console.error(line));
  const modelFiles = options.modelFiles ?? new Set<string>();
  const maxViews = options.maxViews ?? defaultMaxViews;
  const limits: ViewBufferLimits = { ...defaultViewBufferLimits, ...options.bufferLimits };
  const counter = new ViewCounter();
  const views = new Set<WebSocket>();
  const answeredPing = new WeakMap<WebSocket, boolean>();
  const bufferedBytes = () => {
    let total = 0;
    for (const view of views) total += view.bufferedAmount;
    return total;
  };
  const hostAllowed = (request: IncomingMessage) => !loopback || hasLoopbackHostHeader(request);
  let port = 0;

  const server = createServer((request, response) => {
    serveRequest(request, response).catch((error: unknown) => {
      log(`the request for ${request.url ?? '?'} failed: ${describe(error)}`);
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Internal error');
      else response.destroy();
    });
  });

  async function serveRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostAllowed(request)) return plainText(response, 403, 'Forbidden: this server answers only to a loopback name such as 127.0.0.1 or localhost.');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const url = requestUrl(request);
    if (token !== undefined) {
      const presented = presentedToken(request, url, port, token, false);
      if (!presented.accepted) return plainText(response, 401, `This Twinline server needs its access token: open the address it printed, which ends in ?${tokenQueryParameter}=…`);
      if (presented.fromQuery) response.setHeader('Set-Cookie', tokenCookie(port, token));
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      // A malformed escape is the client's mistake, not a path.
      response.writeHead(400).end();
      return;
    }
    const incident = pathname.startsWith('/incidents/') ? incidentDownload(options.incidentsDirectory, pathname.slice('/incidents/'.length)) : undefined;
    const file = incident
      ? await resolveFileInside(incident.directory, incident.name)
      : pathname.startsWith('/models/')
        ? await resolveModelFile(options.modelsDirectory, modelFiles, pathname.slice('/models/'.length))
        : await resolveFileInside(options.rendererDirectory, pathname === '/' ? 'index.html' : pathname.slice(1));
    if (file === undefined) return plainText(response, 404, `Not found: ${pathname}`);
    // A package is saved, not shown; a request for one that is not there gets the plain 404 above.
    if (incident) response.setHeader('Content-Disposition', `attachment; filename="${incident.name}"`);
    // The length lets the view show how many bytes of a large model have arrived.
    const { size } = await stat(file);
    response.writeHead(200, {
      'Content-Type': contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': size,
      'Content-Security-Policy': contentSecurityPolicyFor(pathname),
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
      // The page's address may carry the token; it must not travel on in a Referer.
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    // Exactly the bytes announced, should the file grow meanwhile.
    pipeline(createReadStream(file, { start: 0, end: Math.max(size - 1, 0) }), response, (error) => {
      if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') log(`sending ${pathname} failed: ${error.message}`);
    });
  }

  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: maxViewMessageBytes,
    // A view that offers protocols (to carry its token) must be answered with one of them, or the browser refuses the connection.
    handleProtocols: (protocols) => (protocols.has(viewProtocol) ? viewProtocol : false),
  });

  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    // A client that resets a refused connection is no problem of the host's.
    const duringUpgrade = (error: Error) => log(`a view's connection failed during the upgrade: ${error.message}`);
    socket.on('error', duringUpgrade);
    const refuse = (status: string, extra = '') => socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n${extra}\r\n`);
    const url = requestUrl(request);
    if (url.pathname !== websocketPath || !isSameOrigin(request) || !hostAllowed(request)) return refuse('403 Forbidden');
    if (token !== undefined && !presentedToken(request, url, port, token, true).accepted) return refuse('401 Unauthorized');
    if (views.size >= maxViews) {
      log(`a view was refused: ${maxViews} views are connected already`);
      return refuse('503 Service Unavailable', 'Retry-After: 5\r\n');
    }
    sockets.handleUpgrade(request, socket, head, (websocket) => {
      // From here the WebSocket reports its own errors; the upgrade's handler would name them wrongly.
      socket.off('error', duringUpgrade);
      acceptView(websocket);
    });
  });

  function acceptView(websocket: WebSocket): void {
    // ws reports a view's protocol errors (e.g. a message over maxPayload) as an 'error' event after
    // closing that connection; unhandled, it would crash the whole host.
    websocket.on('error', (error) => log(`a view's connection failed: ${error.message}`));
    let source: TwinlineSource;
    try {
      const made = options.createViewSource?.() ?? options.source;
      if (!made) throw new Error('startViewServer needs a source or createViewSource');
      source = withViewCount(made, counter);
    } catch (error) {
      log(`a view could not be served: ${describe(error)}`);
      websocket.close(1011, 'the host could not serve this view');
      return;
    }
    views.add(websocket);
    answeredPing.set(websocket, true);
    websocket.on('pong', () => answeredPing.set(websocket, true));
    const countOut = counter.add();
    websocket.once('close', () => {
      views.delete(websocket);
      countOut();
    });
    const endpoint = new ThrottledViewEndpoint(websocket, {
      limits,
      // Encoded off the host's loop where the source can (a replaying view's worker).
      snapshot: () => source.encodedSnapshot?.() ?? source.snapshot(),
      totalBuffered: bufferedBytes,
      onCutOff: (reason) => log(`a view was cut off: ${reason}`),
    });
    serveView(endpoint, source, log);
  }

  // A view whose machine went to sleep or whose network went away would hold its place for good; pings find it.
  const heartbeat = setInterval(() => {
    for (const view of views) {
      if (!answeredPing.get(view)) {
        log('a view that answered no ping was dropped');
        view.terminate();
        continue;
      }
      answeredPing.set(view, false);
      view.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  }).catch((error: unknown) => {
    clearInterval(heartbeat);
    throw error;
  });
  port = (server.address() as AddressInfo).port;
  // A wildcard address is no address to open; the machine's name is what others reach it by.
  const nameToOpen = host === '0.0.0.0' || host === '::' || host === '' ? hostname() : host;
  const shownHost = nameToOpen.includes(':') ? `[${nameToOpen}]` : nameToOpen;
  return {
    url: `http://${shownHost}:${port}/${token === undefined ? '' : `?${tokenQueryParameter}=${token}`}`,
    port,
    token,
    views: () => views.size,
    bufferedBytes,
    reconnectViews: (reason) => {
      for (const view of views) view.close(1012, reason.slice(0, 120));
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A request's URL; the path is all that matters, so the Host header (untrusted) is never used to build it. */
function requestUrl(request: IncomingMessage): URL {
  try {
    return new URL(request.url ?? '/', 'http://localhost');
  } catch {
    // Not a path at all (e.g. "//" followed by junk); it will find no file and no socket.
    return new URL('http://localhost/\0');
  }
}

function plainText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end(text);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The contract's endpoint over one WebSocket, as JSON text frames: what a client (a test, a benchmark) puts on its socket. */
export function websocketEndpoint(websocket: WebSocket): MessageEndpoint {
  return {
    send(message) {
      if (websocket.readyState !== websocket.OPEN) return;
      if (websocket.bufferedAmount > maxBufferedBytes) {
        websocket.close(1013, 'too much waiting to be sent; reconnect');
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
