/** The WebSocket subprotocol a Twinline view speaks. */
export const viewProtocol = 'twinline';

/** Prefix of the subprotocol that carries the access token: a header, so the token stays out of URLs and logs. */
export const tokenProtocolPrefix = 'twinline-token.';

/** The name of the query parameter that carries the access token in the printed URL. */
export const tokenQueryParameter = 'token';

/** Whether a text can serve as an access token: safe in a URL, a cookie and a header, and too long to guess. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9._~-]{16,256}$/.test(token);
}

/** The subprotocols a view offers when it connects: none without a token, else ours and the token. */
export function viewProtocols(token: string | undefined): string[] {
  return token === undefined ? [] : [viewProtocol, `${tokenProtocolPrefix}${token}`];
}

/** The token among offered subprotocols, if one carries it. */
export function tokenFromProtocols(protocols: Iterable<string>): string | undefined {
  for (const protocol of protocols) if (protocol.startsWith(tokenProtocolPrefix)) return protocol.slice(tokenProtocolPrefix.length);
  return undefined;
}
