import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { decoderWorkerFile } from './src-main/common/content-security-policy.ts';

/**
 * Writes the KTX2 (Basis) transcoder's worker as a file of the app: three's KTX2Loader would make it a
 * blob: worker, which inherits the page's policy, and the transcoder's embind glue needs JavaScript eval.
 * Served as its own file it gets a policy of its own (see `decoderWorkerContentSecurityPolicy`), so the
 * page itself never allows eval. The text is what KTX2Loader.init() puts in its blob, from the installed three.
 */
function ktx2TranscoderWorker(): Plugin {
  return {
    name: 'twinline-ktx2-transcoder-worker',
    apply: 'build',
    async generateBundle() {
      const { KTX2Loader } = await import('three/examples/jsm/loaders/KTX2Loader.js');
      const transcoder = readFileSync(createRequire(import.meta.url).resolve('three/examples/jsm/libs/basis/basis_transcoder.js'), 'utf8');
      // The worker's function and constants are statics the type declarations leave out.
      const statics = KTX2Loader as unknown as Record<'EngineFormat' | 'EngineType' | 'TranscoderFormat' | 'BasisFormat', unknown> & { BasisWorker: () => void };
      const worker = statics.BasisWorker.toString();
      const source = [
        '/* constants */',
        `let _EngineFormat = ${JSON.stringify(statics.EngineFormat)}`,
        `let _EngineType = ${JSON.stringify(statics.EngineType)}`,
        `let _TranscoderFormat = ${JSON.stringify(statics.TranscoderFormat)}`,
        `let _BasisFormat = ${JSON.stringify(statics.BasisFormat)}`,
        '/* basis_transcoder.js */',
        transcoder,
        '/* worker */',
        worker.substring(worker.indexOf('{') + 1, worker.lastIndexOf('}')),
      ].join('\n');
      this.emitFile({ type: 'asset', fileName: decoderWorkerFile, source });
    },
  };
}

// The renderer, built once and loaded by both Electron (twinline:// protocol) and `twinline serve`.
// Three's Draco and Basis decoders come along as assets: its loaders name them with new URL(…, import.meta.url).
export default defineConfig({
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  base: './',
  plugins: [react(), ktx2TranscoderWorker()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: true,
  },
});
