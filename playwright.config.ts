import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser; WebGL runs on SwiftShader there.
// The suite must pass on a loaded machine, where SwiftShader, the host and the browser share a
// couple of busy cores: every wait checks behaviour, and the limits below only bound a run that
// hangs. How fast things happen is the benchmarks' claim, not these tests'.
// A wait may span a move of replay: when other programs starve the replay process for 10 s, the host
// starts it again at a priority they cannot take from it, and that new process starts on what CPU the
// load leaves (a seek after the Replay button waited over 30 s so, beside two CPU-bound processes).
export default defineConfig({
  testDir: './e2e',
  timeout: 240_000,
  expect: { timeout: 60_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    navigationTimeout: 60_000,
    // A failure on a loaded machine cannot be rerun at will: keep what the page showed and did.
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
      ],
    },
  },
});
