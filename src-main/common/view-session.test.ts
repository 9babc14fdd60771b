import { describe, expect, it } from 'vitest';
import type { ConnectionStatus, Diagnostics, FrameBatch, HostStreams, MessageEndpoint, PlantDescription, StreamName, TwinlineSource } from './contract.ts';
import { emptyProblemCounts, protocolVersion, streamNames } from './contract.ts';
import { deliveriesSettled, endpointPair } from '../node/endpoint-pair.ts';
import { HostClient } from './host-client.ts';
import { parsePlantOrThrow } from './parse-plant.ts';
import { maxViewMessageBytes, serveView } from './view-session.ts';
import { emptyFrame } from './frame-batch.ts';


const plant = parsePlantOrThrow(`
name: Session test plant
machines:
  - id: mixer
    name: Mixer
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - id: speed
        topic: t/mixer/speed
`);

/** A source whose streams the test drives by hand, and which can be made to fail. */
class FakeSource implements TwinlineSource {
  readonly listeners = new Map<StreamName, Set<(data: never) => void>>(streamNames.map((stream) => [stream, new Set()]));
  failing = false;
  exportCsv?: TwinlineSource['exportCsv'];
  trends?: TwinlineSource['trends'];
  dispose?: TwinlineSource['dispose'];
  describePlant(): PlantDescription {
    if (this.failing) throw new Error('plant file vanished');
    return { plant, signalKeys: ['mixer/speed'], signalMachine: [0], modelsBaseUrl: 'models/', sourceLabel: 'Session test plant' };
  }
  snapshot(): FrameBatch {
    return { ...emptyFrame(1, true), signalValue: [3], signalSampleAge: [0], signalHealth: [1], machineHealth: [1] };
  }
  connections(): ConnectionStatus[] {
    return [{ brokerId: 'default', url: 'mqtt://broker:1883', state: 'connected', since: 5, reconnectAttempts: 0, protocol: 4, subscriptions: 0, warnings: [] }];
  }
  diagnostics(): Diagnostics {
    return { messagesReceived: 2, samplesAccepted: 1, problemCounts: { ...emptyProblemCounts(), malformedPayload: 1 }, recentProblems: [], brokers: [] };
  }
  subscribe<Stream extends StreamName>(stream: Stream, listener: (data: HostStreams[Stream]) => void): () => void {
    const set = this.listeners.get(stream)!;
    set.add(listener as (data: never) => void);
    return () => set.delete(listener as (data: never) => void);
  }
  emit<Stream extends StreamName>(stream: Stream, data: HostStreams[Stream]): void {
    for (const listener of this.listeners.get(stream)!) (listener as (data: HostStreams[Stream]) => void)(data);
  }
  /** Listeners over all streams: what the session still holds on to. */
  listenerCount(): number {
    return [...this.listeners.values()].reduce((total, set) => total + set.size, 0);
  }
}

/** A view's raw side: everything the host sent, and a way to wait for the next matching message. */
function rawView(endpoint: MessageEndpoint) {
  const received: Array<Record<string, unknown>> = [];
  endpoint.onMessage((message) => received.push(message as Record<string, unknown>));
  const next = async (match: (message: Record<string, unknown>) => boolean, from = 0) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = received.slice(from).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(received)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  /** Sends and waits for the response with this id (or any response, for messages without a usable id). */
  const ask = async (message: unknown, id: number | null = null) => {
    const from = received.length;
    endpoint.send(message);
    return next((reply) => reply.type === 'response' && (id === null || reply.id === id), from);
  };
  return { received, next, ask };
}

function setUp() {
  const [hostSide, viewSide] = endpointPair();
  const source = new FakeSource();
  const reports: string[] = [];
  const end = serveView(hostSide, source, (problem) => reports.push(problem));
  return { source, end, hostSide, viewSide, view: rawView(viewSide), reports };
}

describe('serveView', () => {
  it('greets with hello and answers each request with its id', async () => {
    const { view, viewSide } = setUp();
    expect(await view.next((message) => message.type === 'hello')).toEqual({ type: 'hello', protocolVersion });
    expect(await view.ask({ type: 'request', id: 1, method: 'getPlant', params: {} }, 1)).toMatchObject({ ok: true, result: { sourceLabel: 'Session test plant', signalKeys: ['mixer/speed'] } });
    // params may be left out where there are none
    expect(await view.ask({ type: 'request', id: 2, method: 'getSnapshot' }, 2)).toMatchObject({ ok: true, result: { full: true, signalValue: [3] } });
    expect(await view.ask({ type: 'request', id: 3, method: 'getStatus', params: {} }, 3)).toMatchObject({
      ok: true,
      result: { connections: [{ brokerId: 'default', state: 'connected' }], diagnostics: { messagesReceived: 2 } },
    });
    viewSide.close();
  });

  it('forwards only the streams a view subscribed to, once each, until it unsubscribes', async () => {
    const { view, source, viewSide } = setUp();
    expect(await view.ask({ type: 'request', id: 1, method: 'subscribe', params: { streams: ['frame', 'connection'] } }, 1)).toMatchObject({ ok: true, result: { streams: ['frame', 'connection'] } });
    // Subscribing again does not double the events.
    expect(await view.ask({ type: 'request', id: 2, method: 'subscribe', params: { streams: ['frame'] } }, 2)).toMatchObject({ ok: true, result: { streams: ['frame', 'connection'] } });
    expect(source.listenerCount()).toBe(2);

    source.emit('frame', emptyFrame(10, false));
    source.emit('diagnostics', source.diagnostics());
    source.emit('connection', source.connections());
    await view.ask({ type: 'request', id: 3, method: 'getStatus', params: {} }, 3);
    const events = view.received.filter((message) => message.type === 'event');
    expect(events.map((event) => [event.stream, (event.data as { time?: number }).time])).toEqual([
      ['frame', 10],
      ['connection', undefined],
    ]);

    expect(await view.ask({ type: 'request', id: 4, method: 'unsubscribe', params: { streams: ['frame'] } }, 4)).toMatchObject({ ok: true, result: { streams: ['connection'] } });
    source.emit('frame', emptyFrame(11, false));
    await view.ask({ type: 'request', id: 5, method: 'getStatus', params: {} }, 5);
    expect(view.received.filter((message) => message.type === 'event' && message.stream === 'frame')).toHaveLength(1);
    viewSide.close();
  });

  it.each([
    ['a JSON text that does not parse', '{"type":', null],
    ['a number', 42, null],
    ['null', null, null],
    ['an unknown method', { type: 'request', id: 7, method: 'shutdown', params: {} }, 7],
    ['an unknown stream', { type: 'request', id: 8, method: 'subscribe', params: { streams: ['secrets'] } }, 8],
    ['extra fields', { type: 'request', id: 9, method: 'getPlant', params: {}, admin: true }, 9],
    ['parameters where none belong', { type: 'request', id: 10, method: 'getPlant', params: { all: true } }, 10],
    ['a missing id', { type: 'request', method: 'getPlant', params: {} }, null],
    ['a negative id', { type: 'request', id: -1, method: 'getPlant', params: {} }, null],
    ['a fractional id', { type: 'request', id: 1.5, method: 'getPlant', params: {} }, null],
    ['a response instead of a request', { type: 'response', id: 11, ok: true, result: {} }, 11],
    ['a trend of no points', { type: 'request', id: 12, method: 'getTrends', params: { machine: 0, from: 0, to: 1, points: 0 } }, 12],
    ['a trend of a fractional machine', { type: 'request', id: 13, method: 'getTrends', params: { machine: 0.5, from: 0, to: 1, points: 10 } }, 13],
  ])('refuses %s with invalidMessage, and goes on answering', async (_name, message, id) => {
    const { view, viewSide } = setUp();
    expect(await view.ask(message)).toMatchObject({ type: 'response', id, ok: false, error: { code: 'invalidMessage' } });
    expect(await view.ask({ type: 'request', id: 100, method: 'getPlant', params: {} }, 100)).toMatchObject({ ok: true });
    viewSide.close();
  });

  it('refuses a text message over the size limit without answering it, even when it is a valid request', async () => {
    const { view, viewSide } = setUp();
    const huge = JSON.stringify({ type: 'request', id: 5, method: 'getPlant', params: {} }) + ' '.repeat(maxViewMessageBytes);
    const reply = await view.ask(huge);
    expect(reply).toMatchObject({ id: null, ok: false, error: { code: 'invalidMessage' } });
    expect((reply.error as { message: string }).message).toContain(String(maxViewMessageBytes));
    viewSide.close();
  });

  it('reports a failing source as an internal error for that request only', async () => {
    const { view, source, viewSide } = setUp();
    source.failing = true;
    expect(await view.ask({ type: 'request', id: 1, method: 'getPlant', params: {} }, 1)).toEqual({ type: 'response', id: 1, ok: false, error: { code: 'internal', message: 'plant file vanished' } });
    source.failing = false;
    expect(await view.ask({ type: 'request', id: 2, method: 'getPlant', params: {} }, 2)).toMatchObject({ ok: true });
    viewSide.close();
  });

  it('answers a request whose answer comes later, and reports one that fails later as an error of that request', async () => {
    const { source, view } = setUp();
    let finish: (rows: number) => void = () => undefined;
    source.exportCsv = (_params, write) => {
      write('time,signal,value,unit\r\n');
      return new Promise((resolve) => (finish = (rows) => resolve({ rows, bytes: 25 })));
    };
    source.trends = () => Promise.reject(new Error('the recording is damaged here'));
    const exported = view.ask({ type: 'request', id: 7, method: 'exportCsv', params: { signals: ['mixer/speed'], from: 0, to: 1 } }, 7);
    const chunk = await view.next((message) => message.type === 'chunk' && message.id === 7);
    expect(chunk.data).toBe('time,signal,value,unit\r\n');
    finish(0);
    expect(await exported).toMatchObject({ ok: true, result: { rows: 0, bytes: 25 } });
    expect(await view.ask({ type: 'request', id: 8, method: 'getTrends', params: { machine: 0, from: 0, to: 1, points: 10 } }, 8)).toMatchObject({ ok: false, error: { code: 'internal', message: 'the recording is damaged here' } });
  });

  it('ends only the view whose connection fails while sending, and says why', async () => {
    const [hostSide] = endpointPair();
    const source = new FakeSource();
    let disposed = false;
    source.dispose = () => (disposed = true);
    const reports: string[] = [];
    const failing: MessageEndpoint = { ...hostSide, send: () => { throw new Error('the port is closed'); } };
    serveView(failing, source, (problem) => reports.push(problem));
    expect(reports).toEqual(["a view's connection failed while sending a hello: the port is closed"]);
    expect(disposed).toBe(true);
    expect(source.listenerCount()).toBe(0);
  });

  it('drops its stream subscriptions when the view goes away', async () => {
    const { view, source, viewSide } = setUp();
    await view.ask({ type: 'request', id: 1, method: 'subscribe', params: { streams: ['frame', 'connection', 'diagnostics'] } }, 1);
    expect(source.listenerCount()).toBe(3);
    viewSide.close();
    expect(source.listenerCount()).toBe(0);
  });

  it('stops answering and forwarding once ended', async () => {
    const { view, source, end, viewSide } = setUp();
    await view.ask({ type: 'request', id: 1, method: 'subscribe', params: { streams: ['frame'] } }, 1);
    end();
    expect(source.listenerCount()).toBe(0);
    const count = view.received.length;
    viewSide.send({ type: 'request', id: 2, method: 'getPlant', params: {} });
    source.emit('frame', emptyFrame(1, false));
    await deliveriesSettled();
    expect(view.received.length).toBe(count);
    viewSide.close();
  });

  it('serves a HostClient end to end', async () => {
    const { source, viewSide } = setUp();
    const client = new HostClient(viewSide);
    expect((await client.request('getPlant', {})).plant.name).toBe('Session test plant');
    const frames: number[] = [];
    client.subscribe('frame', (frame) => frames.push(frame.time));
    await client.request('getStatus', {});
    source.emit('frame', emptyFrame(42, false));
    await client.request('getStatus', {});
    expect(frames).toEqual([42]);
    client.close();
    expect(source.listenerCount()).toBe(0);
  });
});
