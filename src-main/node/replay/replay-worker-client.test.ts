import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ReplayMethods, ReplayRequestMessage, ReplayWorkerMessage } from './replay-protocol.ts';
import type { ReplayUpdate } from './replay-session.ts';
import { ReplayThreadMoved, type ReplayThread } from './replay-thread.ts';
import { ReplayWorkerClient, type ReopenRequest } from './replay-worker-client.ts';

/** A replay thread that keeps what it is sent and answers when the test says. */
class HeldThread extends EventEmitter implements ReplayThread {
  received: ReplayRequestMessage[] = [];
  terminated = false;
  postMessage(message: ReplayRequestMessage): void {
    this.received.push(message);
  }
  terminate(): Promise<unknown> {
    this.terminated = true;
    return Promise.resolve();
  }
  answer(id: number, result: unknown): void {
    this.emit('message', { type: 'response', id, ok: true, result } satisfies ReplayWorkerMessage);
  }
}

function client(reopen: () => ReopenRequest[]) {
  const threads: HeldThread[] = [];
  const updates: ReplayUpdate[] = [];
  const failures: string[] = [];
  const moves: string[] = [];
  const replay = new ReplayWorkerClient({
    data: null,
    onUpdate: (update) => updates.push(update),
    onFailure: (reason) => failures.push(reason),
    onMoved: (reason) => moves.push(reason),
    reopen,
    startThread: () => {
      const thread = new HeldThread();
      threads.push(thread);
      return thread;
    },
  });
  return { replay, threads, updates, failures, moves };
}

/** Waits until `condition` holds, a turn of the loop at a time (requests are sent on later turns). */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; !condition(); turn++) {
    if (turn > 1000) throw new Error('the condition never held');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const update = (time: number) => ({ status: { time } }) as unknown as ReplayUpdate;

describe('a replay worker moved by the host', () => {
  it('starts a new one at once, brings it to where the view was, then sends it every request the old one had not answered, in order', async () => {
    const { replay, threads, updates, failures, moves } = client(() => [
      { method: 'enter', params: { time: 1234 } },
      { method: 'speed', params: { speed: 4 } },
    ]);
    const timeline = replay.request('timeline', { from: 0, to: 10, buckets: 4 } as never, 'live.twinline');
    const seek = replay.request('seek', { time: 5000 }, 'live.twinline');
    const [old] = threads;
    expect(old!.received.map(({ method }) => method)).toEqual(['timeline', 'seek']);

    old!.emit('error', new ReplayThreadMoved('replay got 3 ms of CPU in 10000 ms'));
    old!.emit('exit', 1);
    expect(moves).toEqual(['replay moved to a new process (replay got 3 ms of CPU in 10000 ms)']);
    expect(failures).toEqual([]);
    expect(threads).toHaveLength(2);
    const moved = threads[1]!;
    expect(moved.received.map(({ method, params }) => [method, params])).toEqual([
      ['enter', { time: 1234 }],
      ['speed', { speed: 4 }],
      ['timeline', { from: 0, to: 10, buckets: 4 }],
      ['seek', { time: 5000 }],
    ]);
    expect(moved.received.every(({ baseFile }) => baseFile === 'live.twinline')).toBe(true);

    // The reopening answers are updates for the view; the view's own requests get their own answers.
    for (const [index, message] of moved.received.entries()) moved.answer(message.id, message.method === 'timeline' ? { buckets: [] } : update(index));
    await expect(timeline).resolves.toEqual({ buckets: [] });
    await expect(seek).resolves.toEqual(update(3));
    expect(updates).toEqual([update(0), update(1)]);
    // An answer from the old worker, had it come late, is nobody's.
    old!.answer(1, 'late');
    expect(failures).toEqual([]);
  });

  it('moved again before the new worker answered, reopens the view once, from where it is now, then sends what is waiting', () => {
    let moment = 1234;
    const { replay, threads, failures } = client(() => [{ method: 'enter', params: { time: moment } }]);
    void replay.request('seek', { time: 5000 }, 'live.twinline');
    threads[0]!.emit('error', new ReplayThreadMoved('starved'));
    moment = 4321;
    threads[1]!.emit('error', new ReplayThreadMoved('starved again'));
    expect(threads[2]!.received.map(({ method, params }) => [method, params])).toEqual([
      ['enter', { time: 4321 }],
      ['seek', { time: 5000 }],
    ]);
    expect(failures).toEqual([]);
  });

  it('reopens a view that had nothing waiting in the live recording it last named', async () => {
    const { replay, threads } = client(() => [{ method: 'enter', params: { time: 77 } }]);
    const status = replay.request('status', {}, 'live-2.twinline');
    threads[0]!.answer(threads[0]!.received[0]!.id, 'ok');
    await expect(status).resolves.toBe('ok');
    threads[0]!.emit('error', new ReplayThreadMoved('another view was starved'));
    expect(threads[1]!.received).toEqual([{ id: expect.any(Number), method: 'enter', params: { time: 77 }, baseFile: 'live-2.twinline' }]);
  });

  it('reads an export moved between two chunks again in the new worker, and hands on only what the view had not had', async () => {
    const { replay, threads } = client(() => []);
    const first = replay.request('exportStart', { signals: ['a/b'], from: 0, to: 9 }, undefined);
    threads[0]!.answer(threads[0]!.received[0]!.id, { chunk: 'time,a/b\n1,2\n', rows: 1 });
    await expect(first).resolves.toEqual({ chunk: 'time,a/b\n1,2\n', rows: 1 });
    threads[0]!.emit('error', new ReplayThreadMoved('starved'));
    const next = replay.request('exportNext', {}, undefined);
    const moved = threads[1]!;
    // Read again from its start, in chunks cut elsewhere this time.
    await until(() => moved.received.length === 1);
    expect(moved.received[0]).toMatchObject({ method: 'exportStart', params: { signals: ['a/b'], from: 0, to: 9 } });
    moved.answer(moved.received[0]!.id, { chunk: 'time,a/b\n1,', rows: 0 });
    await until(() => moved.received.length === 2);
    moved.answer(moved.received[1]!.id, { chunk: '2\n3,4\n', rows: 2 });
    await expect(next).resolves.toEqual({ chunk: '3,4\n', rows: 2 });
    const last = replay.request('exportNext', {}, undefined);
    moved.answer(moved.received[2]!.id, { chunk: null, rows: 2 });
    await expect(last).resolves.toEqual({ chunk: null, rows: 2 });
  });

  it('answers a chunk asked for while the worker moved from the export read again, and refuses an export that reads differently there', async () => {
    const { replay, threads } = client(() => []);
    const first = replay.request('exportStart', { signals: ['a/b'], from: 0, to: 9 }, undefined);
    threads[0]!.answer(threads[0]!.received[0]!.id, { chunk: 'time,a/b\n1,2\n', rows: 1 });
    await first;
    const next = replay.request('exportNext', {}, undefined);
    threads[0]!.emit('error', new ReplayThreadMoved('starved'));
    const moved = threads[1]!;
    await until(() => moved.received.length === 1);
    // The recording reads differently now: what the view had cannot be matched.
    moved.answer(moved.received[0]!.id, { chunk: 'time,a/b\n7,7\n9,9\n', rows: 2 });
    await until(() => moved.received.length === 2);
    expect(moved.received[1]!.method).toBe('exportCancel');
    moved.answer(moved.received[1]!.id, null);
    await expect(next).rejects.toThrow(/^the export was cut short: replay moved to a new process \(starved\), and the recording read differently there; start it again$/);
  });

  it('does not save a package again that the old worker may have half written', async () => {
    const { replay, threads } = client(() => []);
    const saving = replay.request('saveIncident', { from: 0, to: 1 } as never, undefined);
    threads[0]!.emit('error', new ReplayThreadMoved('starved'));
    await expect(saving).rejects.toThrow(/^saving the package was cut short: .*; save it again$/);
    expect(threads[1]!.received).toEqual([]);
  });

  it("makes a reopening that fails the view's failure, once", async () => {
    const { replay, threads, failures } = client(() => [{ method: 'enter', params: { time: 9 } }]);
    void replay.request('status', {}, 'live.twinline').catch(() => undefined);
    threads[0]!.emit('error', new ReplayThreadMoved('starved'));
    const moved = threads[1]!;
    moved.emit('message', { type: 'response', id: moved.received[0]!.id, ok: false, message: 'nothing has been recorded yet' } satisfies ReplayWorkerMessage);
    expect(failures).toEqual(['replay could not open its moment again after it moved (enter): nothing has been recorded yet']);
    // The new worker failing as a whole reports that, not the reopening again.
    moved.emit('error', new Error('out of memory'));
    expect(failures).toEqual(['replay could not open its moment again after it moved (enter): nothing has been recorded yet', 'replay stopped: out of memory']);
  });

  it('fails every waiting request when no new worker can start', async () => {
    let starts = 0;
    const first = new HeldThread();
    const failures: string[] = [];
    const replay = new ReplayWorkerClient({
      data: null,
      onUpdate: () => undefined,
      onFailure: (reason) => failures.push(reason),
      startThread: () => {
        if (starts++ > 0) throw new Error('no more threads');
        return first;
      },
    });
    const seek = replay.request('seek', { time: 1 }, undefined);
    first.emit('error', new ReplayThreadMoved('starved'));
    await expect(seek).rejects.toThrow('replay could not start again after it moved: no more threads');
    expect(failures).toEqual(['replay could not start again after it moved: no more threads']);
  });

  it('still fails as before when its thread stops for any other reason', async () => {
    const { replay, threads, failures, moves } = client(() => [{ method: 'enter', params: { time: 1 } }]);
    const seek = replay.request('seek', { time: 5 }, undefined);
    threads[0]!.emit('error', new Error('out of memory'));
    await expect(seek).rejects.toThrow('replay stopped: out of memory');
    expect(failures).toEqual(['replay stopped: out of memory']);
    expect(moves).toEqual([]);
    expect(threads).toHaveLength(1);
  });
});

/**
 * A client whose view records what it is shown, in order: updates on arrival and, as the view's player
 * does, an answer once its request's promise settles (`ask`). `sendUpdate` is the worker sending one.
 */
function showingView() {
  const shown: string[] = [];
  const failures: string[] = [];
  const thread = new HeldThread();
  const replay = new ReplayWorkerClient({ data: null, onUpdate: (shownUpdate) => shown.push(`update at ${shownUpdate.status.time}`), onFailure: (reason) => failures.push(reason), startThread: () => thread });
  const ask = <Method extends 'seek' | 'step' | 'pause'>(method: Method, params: ReplayMethods[Method]['params']) =>
    replay.request(method, params, undefined).then((answer) => shown.push(`answer at ${(answer as ReplayUpdate).status.time}`));
  const sendUpdate = (time: number) => thread.emit('message', { type: 'update', update: update(time) } satisfies ReplayWorkerMessage);
  return { shown, failures, thread, ask, sendUpdate };
}

describe("a replay worker's answers and updates", () => {
  it('are applied in the order the worker sent them, when an update arrives in the same read as the answer before it', async () => {
    const { shown, failures, thread, ask, sendUpdate } = showingView();
    const seek = ask('seek', { time: 5 });
    // One read from the replay process brings both: the seek's answer, then the forecasts read right after it.
    thread.answer(thread.received[0]!.id, update(5));
    sendUpdate(6);
    await seek;
    await until(() => shown.length === 2);
    expect(shown).toEqual(['answer at 5', 'update at 6']);

    // An update with no answer before it in the same turn is shown at once.
    sendUpdate(7);
    expect(shown).toEqual(['answer at 5', 'update at 6', 'update at 7']);
    expect(failures).toEqual([]);
  });

  it('keep an update that came before an answer before it, so a playing tick cannot undo the pause answered after it', async () => {
    const { shown, failures, thread, ask, sendUpdate } = showingView();
    const step = ask('step', { milliseconds: 33 });
    const pause = ask('pause', {});
    // One read brings the step's answer, a playback tick, then the pause's answer.
    thread.answer(thread.received[0]!.id, update(1));
    sendUpdate(2);
    thread.answer(thread.received[1]!.id, update(3));
    await Promise.all([step, pause]);
    expect(shown).toEqual(['answer at 1', 'update at 2', 'answer at 3']);
    expect(failures).toEqual([]);
  });

  it('drop what a worker sent after an answer once that worker has failed', async () => {
    const { shown, failures, thread, ask, sendUpdate } = showingView();
    const seek = ask('seek', { time: 5 });
    // A worker that ends hands over what it had sent, then its exit, in one turn.
    thread.answer(thread.received[0]!.id, update(5));
    sendUpdate(6);
    thread.emit('exit', 1);
    await seek;
    await until(() => failures.length === 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures).toEqual(['replay stopped unexpectedly (exit code 1)']);
    expect(shown).toEqual(['answer at 5']);
  });
});
