import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exitOnSignal } from './exit-on-signal.ts';

function harness(stop: () => Promise<void>) {
  const signals = new EventEmitter();
  const lines: string[] = [];
  const exits: number[] = [];
  exitOnSignal({ stop, log: (line) => lines.push(line), exit: (code) => exits.push(code), signals, limitMs: 30_000 });
  return { signals, lines, exits };
}

describe('a command asked to stop by a signal', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('stops, then exits with 0', async () => {
    const stop = vi.fn(() => Promise.resolve());
    const { signals, lines, exits } = harness(stop);
    signals.emit('SIGTERM');
    await vi.advanceTimersByTimeAsync(0);
    expect(stop).toHaveBeenCalledOnce();
    expect(exits).toEqual([0]);
    expect(lines).toEqual([]);
    // The limit was cleared: nothing more happens later.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(exits).toEqual([0]);
  });

  it('exits with 1 when a part never finishes stopping, once the limit has passed, and says so', async () => {
    const { signals, lines, exits } = harness(() => new Promise<void>(() => {}));
    signals.emit('SIGTERM');
    await vi.advanceTimersByTimeAsync(29_999);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(exits).toEqual([1]);
    expect(lines).toEqual(['stopping took over 30 s: exiting without waiting for the rest (recordings keep every batch committed)']);
  });

  it('exits with 1 at a second signal while stopping, and when stopping fails, saying why', async () => {
    const hanging = harness(() => new Promise<void>(() => {}));
    hanging.signals.emit('SIGINT');
    hanging.signals.emit('SIGINT');
    expect(hanging.exits).toEqual([1]);
    expect(hanging.lines).toEqual(['SIGINT again while stopping: exiting now']);

    const failing = harness(() => Promise.reject(new Error('the recorder could not commit: disk full')));
    failing.signals.emit('SIGTERM');
    await vi.advanceTimersByTimeAsync(0);
    expect(failing.exits).toEqual([1]);
    expect(failing.lines).toEqual(['stopping failed: the recorder could not commit: disk full']);
  });
});
