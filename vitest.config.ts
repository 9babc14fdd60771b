import { configDefaults, defineConfig } from 'vitest/config';

// Three projects. `src-main/common` and `src-renderer` may not import Node (see README, "Import rules"),
// so their tests start no broker, process or server and run two files at a time. The tests of
// `src-main/node`, `src-main/electron` and `scripts` start real brokers, processes and servers on
// loopback: they mostly wait on sockets and timers, so they too run two files at a time, after the
// pure ones (each file's brokers and servers take free ports, and its files a folder of its own). The
// two corpora of mutated recordings keep both cores busy by themselves (each reads two files at once)
// and the crash tests start a Node process every few seconds, and the starvation test keeps every core busy
// on purpose; all five hold their work to deadlines
// (paired with another file on a loaded machine, the 20 kills of record-crash ran past its 90 s): they
// run last, one at a time.
const pureTests = ['src-main/common/**/*.test.ts', 'src-renderer/**/*.test.ts'];
const integrationTests = ['src-main/node/**/*.test.ts', 'src-main/electron/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'];
const busyTests = [
  'src-main/node/recording/recording-corpus.test.ts',
  'src-main/node/replay/hostile-recordings.test.ts',
  'src-main/node/recording/record-crash.test.ts',
  'src-main/node/recording/crash.test.ts',
  'src-main/node/replay/replay-starvation.test.ts',
];

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
        test: { name: 'integration', include: integrationTests, exclude: [...configDefaults.exclude, ...busyTests], fileParallelism: true, maxWorkers: 2, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: 'busy', include: busyTests, fileParallelism: false, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
