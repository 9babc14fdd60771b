// Entry of the replay process's launcher thread. It keeps the priority the process started with and
// only starts the views' replay threads, so each loads its code at normal speed before it lowers
// itself (a page's first player state waits on that load); they talk to the process's main thread over
// ports of their own, not through this thread, which therefore has nothing else to do.
import { parentPort } from 'node:worker_threads';
import type { FromReplayLauncher, ToReplayLauncher } from './replay-protocol.ts';
import { startLocalReplayThread, type ReplayThread } from './replay-thread.ts';

const port = parentPort;
if (!port) throw new Error('replay-launcher runs as a worker thread');
const threads = new Map<number, ReplayThread>();
const report = (message: FromReplayLauncher) => port.postMessage(message);

port.on('message', (request: ToReplayLauncher) => {
  try {
    if (request.type === 'stop') {
      const thread = threads.get(request.thread);
      // Its exit says it stopped; one not running says so now.
      if (thread) void thread.terminate();
      else report({ type: 'exit', thread: request.thread, code: 0 });
      return;
    }
    const { thread: id } = request;
    const thread = startLocalReplayThread({ ...request.data, port: request.port }, request.limits);
    threads.set(id, thread);
    thread.on('error', (error) => report({ type: 'error', thread: id, message: error.message }));
    thread.on('exit', (code) => {
      threads.delete(id);
      report({ type: 'exit', thread: id, code });
    });
  } catch (error) {
    report({ type: 'error', thread: request.thread, message: `the replay thread could not start: ${error instanceof Error ? error.message : String(error)}` });
    report({ type: 'exit', thread: request.thread, code: 1 });
  }
});
