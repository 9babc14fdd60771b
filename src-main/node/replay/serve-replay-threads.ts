import { createLiveFirstFlag, setLiveBehind } from './live-first-gate.ts';
import type { FromReplayProcess, ToReplayProcess } from './replay-protocol.ts';
import { startLocalReplayThread, type ReplayThread, type StartReplayThread } from './replay-thread.ts';
import type { YieldLevel } from '../thread-priority.ts';

/** The replay process's side of its channel to the host. */
export interface ReplayProcessPort {
  send(message: FromReplayProcess): void;
  onMessage(listener: (message: ToReplayProcess) => void): void;
}

/**
 * Runs the host's replay threads in this process: each `start` becomes a worker thread (started by
 * `startThread`), requests go
 * to it and what it posts goes back, tagged with its number. The host's word on whether its loop is
 * behind sets this process's own live-first flag, which every thread here shares, and each thread
 * yields at the process's `level`. A message that cannot be handled is answered as that thread's error
 * and reported; it never ends the process.
 */
export function serveReplayThreads(port: ReplayProcessPort, report: (line: string) => void, startThread: StartReplayThread = startLocalReplayThread, level: YieldLevel = 'idle'): void {
  const liveFirst = createLiveFirstFlag();
  const threads = new Map<number, ReplayThread>();

  const start = (message: Extract<ToReplayProcess, { type: 'start' }>) => {
    const { thread: id, data, limits } = message;
    if (threads.has(id)) throw new Error(`replay thread ${id} is already running`);
    let thread: ReplayThread;
    try {
      thread = startThread(data ? { ...data, liveFirst, yieldLevel: level } : null, limits);
    } catch (error) {
      // The host's side of this thread ends here, as it would for a thread that started and died.
      port.send({ type: 'error', thread: id, message: `the replay thread could not start: ${error instanceof Error ? error.message : String(error)}` });
      port.send({ type: 'exit', thread: id, code: 1 });
      return;
    }
    threads.set(id, thread);
    thread.on('message', (posted) => port.send({ type: 'message', thread: id, message: posted }));
    thread.on('error', (error) => port.send({ type: 'error', thread: id, message: error.message }));
    thread.on('exit', (code) => {
      if (threads.get(id) === thread) threads.delete(id);
      port.send({ type: 'exit', thread: id, code });
    });
  };

  const handle = (message: ToReplayProcess) => {
    switch (message.type) {
      case 'live':
        setLiveBehind(liveFirst, message.behind === true);
        return;
      case 'start':
        start(message);
        return;
      case 'request': {
        const thread = threads.get(message.thread);
        if (!thread) throw new Error(`replay thread ${message.thread} is not running`);
        thread.postMessage(message.message);
        return;
      }
      case 'stop': {
        const thread = threads.get(message.thread);
        // Its exit tells the host it has stopped; for one not running (gone already, or never started), say so now.
        if (thread) void thread.terminate();
        else port.send({ type: 'exit', thread: message.thread, code: 0 });
        return;
      }
      default:
        throw new Error(`unknown message ${JSON.stringify((message as { type?: unknown }).type)?.slice(0, 40)}`);
    }
  };

  port.onMessage((message) => {
    try {
      handle(message);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      report(`a message from the host failed: ${reason}`);
      const thread = (message as { thread?: unknown } | null)?.thread;
      if (typeof thread === 'number') port.send({ type: 'error', thread, message: reason });
    }
  });
}
