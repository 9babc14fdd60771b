import { EventEmitter } from 'node:events';
import type { MessagePortMain, ParentPort } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FromReplayProcess, ToReplayProcess } from '../node/replay/replay-protocol.ts';
import { replayChannelThroughShell } from './shell-replay-channel.ts';

// The Electron binary cannot run here: the host's parent port and the port the shell sends are
// stand-ins with the events and methods the channel uses.

/** A stand-in MessagePortMain: what was posted, started or closed, and its events. */
class FakePort extends EventEmitter {
  posted: unknown[] = [];
  started = false;
  closed = false;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  start(): void {
    this.started = true;
  }
  close(): void {
    this.closed = true;
  }
}

/** A stand-in for the host's `process.parentPort`. */
class FakeParent extends EventEmitter {
  posted: unknown[] = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
}

const start: ToReplayProcess = { type: 'start', thread: 1, data: null, limits: { maxOldGenerationSizeMb: 384, maxYoungGenerationSizeMb: 8 } };
const request: ToReplayProcess = { type: 'request', thread: 1, message: { id: 1, method: 'status', params: {}, baseFile: undefined } };

function open() {
  const parent = new FakeParent();
  const lines: string[] = [];
  const channel = replayChannelThroughShell(parent as unknown as ParentPort, (line) => lines.push(line));
  const received: FromReplayProcess[] = [];
  const gone: string[] = [];
  channel.onMessage((message) => received.push(message));
  channel.onGone((reason) => gone.push(reason));
  const port = new FakePort();
  const { request } = parent.posted[0] as { request: number };
  const sendPort = (sent = port, answering = request, pid?: unknown) => parent.emit('message', { data: { type: 'replay-port', request: answering, pid }, ports: [sent as unknown as MessagePortMain] });
  return { parent, channel, port, sendPort, received, gone, lines, request };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the host's channel to a replay process the shell starts", () => {
  it('asks the shell, keeps what is sent until the port arrives, then talks over it', () => {
    const { parent, channel, port, sendPort, received, gone, request: asked } = open();
    expect(parent.posted).toEqual([{ type: 'start-replay-process', request: asked, level: 'idle' }]);
    channel.send(start);
    channel.send({ type: 'live', behind: true });
    channel.send({ type: 'live', behind: false });
    channel.send(request);
    expect(port.posted).toEqual([]);
    // A port sent for an earlier request is not this one's.
    const stale = new FakePort();
    sendPort(stale, asked - 1);
    expect(stale.started).toBe(false);
    sendPort();
    expect(port.started).toBe(true);
    // Of the word on live while it started, only the latest.
    expect(port.posted).toEqual([start, { type: 'live', behind: false }, request]);
    channel.send({ type: 'live', behind: true });
    expect(port.posted.at(-1)).toEqual({ type: 'live', behind: true });
    const answer: FromReplayProcess = { type: 'message', thread: 1, message: { type: 'response', id: 1, ok: true, result: 'ready' } };
    port.emit('message', { data: answer, ports: [] });
    expect(received).toEqual([answer]);
    // The shell answers once: a second port for the same request is not taken.
    const other = new FakePort();
    sendPort(other);
    channel.send(request);
    expect(other.posted).toEqual([]);
    expect(gone).toEqual([]);
  });

  it('is gone when the port closes (the replay process died), and sends nothing after', () => {
    const { channel, port, sendPort, gone } = open();
    sendPort();
    port.emit('close');
    expect(gone).toEqual(['its link to the host closed']);
    channel.send(request);
    expect(port.posted).toEqual([]);
    // A listener that comes late still hears it, once.
    const late: string[] = [];
    channel.onGone((reason) => late.push(reason));
    expect(late).toEqual(['its link to the host closed']);
  });

  it('is gone when the shell sends no port within 30 s, and a listener that throws is reported, not thrown', async () => {
    vi.useFakeTimers();
    const { channel, gone, lines, sendPort, port } = open();
    channel.onGone(() => {
      throw new Error('a listener broke');
    });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(gone).toEqual(['the shell did not start it within 30 s']);
    expect(lines.join('\n')).toContain('a listener broke');
    // A port that comes after that is not taken, but closed.
    sendPort();
    expect(port.started).toBe(false);
    expect(port.closed).toBe(true);
  });

  it('learns the replay process id with the port, and the host ends the process by closing its end', () => {
    const { channel, port, sendPort, gone } = open();
    expect(channel.pid()).toBeUndefined();
    sendPort(port, undefined, 4242);
    expect(channel.pid()).toBe(4242);
    channel.stop();
    expect(port.closed).toBe(true);
    expect(gone).toEqual(['the host ended it']);
    channel.send(request);
    expect(port.posted).toEqual([]);
  });

  it('takes no process id that is not one', () => {
    for (const pid of [-1, 0, 1.5, '77', 2 ** 60]) {
      const { channel, port, sendPort } = open();
      sendPort(port, undefined, pid);
      expect(channel.pid(), String(pid)).toBeUndefined();
    }
  });

  it('asks the shell for the yield level it is given', () => {
    const parent = new FakeParent();
    replayChannelThroughShell(parent as unknown as ParentPort, () => undefined, 'below-normal');
    expect(parent.posted).toEqual([{ type: 'start-replay-process', request: expect.any(Number), level: 'below-normal' }]);
  });

  it('keeps at most 1,000 messages while it waits, then gives up', () => {
    const { channel, gone } = open();
    for (let index = 0; index < 1000; index++) channel.send(request);
    expect(gone).toEqual([]);
    channel.send(request);
    expect(gone).toEqual(['more than 1000 messages waited for it to start']);
  });
});
