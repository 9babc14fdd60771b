import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, contentSecurityPolicyFor, decoderWorkerContentSecurityPolicy, decoderWorkerFile, pageContentSecurityPolicy } from './content-security-policy.ts';

/** The policy as directive → sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

describe('the content security policy', () => {
  const page = directives(pageContentSecurityPolicy);

  it('lets the shipped model decoders compile WebAssembly, and allows no JavaScript eval and nothing inline', () => {
    expect(page.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(pageContentSecurityPolicy).not.toContain("'unsafe-inline'");
    expect(pageContentSecurityPolicy).not.toContain("'unsafe-eval'");
    expect(page.get('style-src')).toEqual(["'self'"]);
    expect(page.get('object-src')).toEqual(["'none'"]);
  });

  it('names no other host: decoders and models come from the app itself, never a CDN', () => {
    for (const [name, sources] of page) {
      for (const source of sources) expect(`${name} ${source}`).toMatch(/ ('self'|'none'|'wasm-unsafe-eval'|data:|blob:)$/);
    }
    // A GLB's images load as blob: URLs and a .gltf's embedded buffers as data: URIs, through fetch.
    expect(page.get('connect-src')).toEqual(["'self'", 'blob:', 'data:']);
  });

  it('is the same text in the page\'s meta tag, and the header adds only frame-ancestors', () => {
    const html = readFileSync(new URL('../../src-renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
    expect(meta?.[1]).toBe(pageContentSecurityPolicy);
    expect(contentSecurityPolicy).toBe(`${pageContentSecurityPolicy}; frame-ancestors 'none'`);
  });

  it('allows eval only in the KTX2 transcoder worker, served as its own file, which may load nothing', () => {
    expect(contentSecurityPolicyFor(`/${decoderWorkerFile}`)).toBe(decoderWorkerContentSecurityPolicy);
    for (const path of ['/', '/index.html', '/assets/index.js', '/decoders/other.js', `/models/${decoderWorkerFile}`, `/${decoderWorkerFile}/`]) {
      expect(contentSecurityPolicyFor(path), path).toBe(contentSecurityPolicy);
    }
    const worker = directives(decoderWorkerContentSecurityPolicy);
    expect(worker.get('default-src')).toEqual(["'none'"]);
    expect(worker.get('script-src')).toEqual(["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'"]);
  });
});
