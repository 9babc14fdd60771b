import { defineConfig } from 'vitest/config';

// Two projects, split by the import rules rather than by a list of names: `src-main/common` and
// `src-renderer` may not import Node (see README, "Import rules"), so their tests start no broker,
// process or server and run two files at a time. The tests of `src-main/node`, `src-main/electron` and
// `scripts` start real brokers, processes and servers on loopback: they run one file at a time, after
// the pure ones, so that two cores stay calm while they wait on sockets and timers.
const pureTests = ['src-main/common/**/*.test.ts', 'src-renderer/**/*.test.ts'];
const integrationTests = ['src-main/node/**/*.test.ts', 'src-main/electron/**/*.test.ts', 'scripts/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: { name: 'pure', include: pureTests, fileParallelism: true, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'integration', include: integrationTests, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
