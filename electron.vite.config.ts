import { defineConfig } from 'electron-vite';

// Builds the Electron shell: main and the host utility process as ES modules, the preload as
// CommonJS (a sandboxed preload cannot be an ES module). The renderer is built by vite.config.ts.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // Worker threads are entries of their own, bundled beside the host that starts them.
        input: { main: 'src-main/electron/main.ts', 'host-process': 'src-main/electron/host-process.ts', 'replay-process': 'src-main/electron/replay-process.ts', 'replay-worker': 'src-main/node/replay/replay-worker.ts', 'replay-launcher': 'src-main/node/replay/replay-launcher.ts', 'recording-worker': 'src-main/node/recording/recording-worker.ts', 'topic-explorer-worker': 'src-main/node/topic-explorer/topic-explorer-worker.ts', 'standing-alarms-worker': 'src-main/node/alarm-restore/standing-alarms-worker.ts' },
        output: { format: 'es', entryFileNames: '[name].mjs' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: 'src-main/electron/preload.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
});
