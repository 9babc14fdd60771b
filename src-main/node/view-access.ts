import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isWellFormedToken, tokenFromProtocols, tokenQueryParameter } from '../common/view-token.ts';

/** Whether a listening address or host name reaches only this machine. */
export function isLoopbackName(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '::1' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * On a loopback-only server, the Host header must name loopback too: a DNS-rebound page sends its own
 * name as Host and as Origin, which pass the same-origin check. Clients that send no Host are no browser.
 */
export function hasLoopbackHostHeader(request: IncomingMessage): boolean {
  const host = request.headers.host;
  if (host === undefined) return true;
  try {
    return isLoopbackName(new URL(`http://${host}`).hostname);
  } catch {
    // A Host header that is no host at all names nothing on this machine.
    return false;
  }
}

/**
 * A page on another origin must not drive the host through the user's browser (cross-site WebSocket
 * hijacking, DNS rebinding): the Origin must be this server's own. Non-browser clients send none.
 */
export function isSameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    // An Origin that is no URL is no origin of ours.
    return false;
  }
}

/** A new random access token: 256 bits, base64url, as notebook servers print in their URL. */
export function createAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Refuses a token given by the user that is too short to be secret or unsafe in a URL or header. */
export function checkAccessToken(token: string): string {
  if (!isWellFormedToken(token)) throw new Error('The access token must be 16 to 256 letters, digits, ".", "_", "~" or "-"');
  return token;
}

/**
 * Whether a presented token is the expected one, in constant time: both are hashed first, so neither
 * their contents nor their lengths show in how long the comparison takes.
 */
export function tokensMatch(expected: string, presented: string | undefined | null): boolean {
  if (presented === undefined || presented === null) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(presented));
}

/** The cookie that carries the token once the page has been loaded with it; named per port, as cookies ignore ports. */
export function tokenCookieName(port: number): string {
  return `twinline-token-${port}`;
}

/** The Set-Cookie value that lets the page's own later requests (scripts, models) in without the token in their URL. */
export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The value of one cookie in a request, if it sent it. */
export function cookieValue(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator !== -1 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/** How a request may present the token: in the query, in the cookie, or (WebSocket only) as a subprotocol. */
export interface PresentedToken {
  /** Whether the token in the URL's query matched, so the response should set the cookie. */
  fromQuery: boolean;
  accepted: boolean;
}

/** Checks the token a request presents, by any of the ways it may carry it. */
export function presentedToken(request: IncomingMessage, url: URL, port: number, token: string, allowProtocol: boolean): PresentedToken {
  if (tokensMatch(token, url.searchParams.get(tokenQueryParameter))) return { fromQuery: true, accepted: true };
  if (tokensMatch(token, cookieValue(request, tokenCookieName(port)))) return { fromQuery: false, accepted: true };
  if (allowProtocol) {
    const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((protocol) => protocol.trim());
    if (tokensMatch(token, tokenFromProtocols(offered))) return { fromQuery: false, accepted: true };
  }
  return { fromQuery: false, accepted: false };
}
