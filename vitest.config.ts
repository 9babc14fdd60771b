import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-renderer/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Integration tests start real brokers on loopback; running files one at a time keeps 2 cores calm.
    fileParallelism: false,
    testTimeout: 20_000,
  },
});
