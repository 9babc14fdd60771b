/**
 * The renderer's Content Security Policy: only its own scripts, styles and models, and a
 * connection back to its own host. The same text goes in the page's meta tag (Electron) and
 * in the HTTP header (browser mode); `frame-ancestors` only works as a header, so it is added there.
 *
 * `'wasm-unsafe-eval'` lets the model decoders the app ships (Draco, Basis/KTX2, meshopt) compile their
 * WebAssembly; it allows no JavaScript eval and nothing inline. `connect-src` takes `blob:` and `data:`
 * because the glTF loader fetches a GLB's embedded images as blob URLs and a .gltf's embedded buffers
 * as data URIs: both are bytes the page already holds, never a connection elsewhere.
 */
export const pageContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self' blob: data:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The policy sent as an HTTP header. */
export const contentSecurityPolicy = `${pageContentSecurityPolicy}; frame-ancestors 'none'`;

/** The KTX2 (Basis) transcoder's worker, a file of the built renderer (written by vite.config.ts). */
export const decoderWorkerFile = 'decoders/ktx2-transcoder-worker.js';

/**
 * The policy of that worker alone. Its embind glue builds functions from text, so it needs `'unsafe-eval'`;
 * a worker served as its own file gets the policy sent with it, so this is not the page's: the worker
 * has no DOM, runs only its own script, loads nothing (`default-src 'none'`: the WebAssembly comes by
 * message) and reads only texture bytes.
 */
export const decoderWorkerContentSecurityPolicy = "default-src 'none'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'";

/** The policy to send with the file at `path` (a URL path, "/" first) of the built renderer or the models. */
export function contentSecurityPolicyFor(path: string): string {
  return path === `/${decoderWorkerFile}` ? decoderWorkerContentSecurityPolicy : contentSecurityPolicy;
}
