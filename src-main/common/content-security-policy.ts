/**
 * The renderer's Content Security Policy: only its own scripts, styles and models, and a
 * connection back to its own host. The same text goes in the page's meta tag (Electron) and
 * in the HTTP header (browser mode); `frame-ancestors` only works as a header, so it is added there.
 */
export const pageContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The policy sent as an HTTP header. */
export const contentSecurityPolicy = `${pageContentSecurityPolicy}; frame-ancestors 'none'`;
