import { describe, expect, it } from 'vitest';
import type { FrameBatch, MessageEndpoint } from './contract.ts';
import { deliveriesSettled, endpointPair } from '../node/endpoint-pair.ts';
import { HostClient, HostRequestError } from './host-client.ts';
import { emptyFrame } from './frame-batch.ts';

type Request = { type: 'request'; id: number; method: string; params: unknown };

/** A scripted host: records what the client asks and answers by hand. */
function fakeHost() {
  const [hostSide, clientSide] = endpointPair();
  const requests: Request[] = [];
  hostSide.onMessage((message) => requests.push(message as Request));
  // Everything the client tries to send, even after the channel closed.
  const sentByClient: unknown[] = [];
  const client = new HostClient({ ...clientSide, send: (message) => (sentByClient.push(message), clientSide.send(message)) });
  const respond = (id: number | null, result: unknown) => hostSide.send({ type: 'response', id, ok: true, result });
  const refuse = (id: number | null, code: string, message: string) => hostSide.send({ type: 'response', id, ok: false, error: { code, message } });
  const emit = (stream: string, data: unknown) => hostSide.send({ type: 'event', stream, data });
  const protocolErrors: string[] = [];
  client.onProtocolError((message) => protocolErrors.push(message));
  return { hostSide, client, requests, sentByClient, respond, refuse, emit, protocolErrors };
}

const frame = (time: number): FrameBatch => emptyFrame(time, false);

describe('HostClient requests', () => {
  it('matches responses to requests by id, in whatever order they come', async () => {
    const host = fakeHost();
    const plant = host.client.request('getPlant', {});
    const snapshot = host.client.request('getSnapshot', {});
    await deliveriesSettled();
    expect(host.requests.map((request) => [request.method, request.params])).toEqual([
      ['getPlant', {}],
      ['getSnapshot', {}],
    ]);
    const [first, second] = host.requests;
    host.respond(second!.id, frame(7));
    host.respond(first!.id, { sourceLabel: 'the plant' });
    expect(await snapshot).toEqual(frame(7));
    expect(await plant).toEqual({ sourceLabel: 'the plant' });
    expect(first!.id).not.toBe(second!.id);
  });

  it('rejects a refused request with the host code and message', async () => {
    const host = fakeHost();
    const pending = host.client.request('getStatus', {});
    await deliveriesSettled();
    host.refuse(host.requests[0]!.id, 'internal', 'source failed');
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HostRequestError);
    expect(error).toMatchObject({ code: 'internal', message: 'source failed' });
  });

  it('reads JSON text as a WebSocket delivers it', async () => {
    const host = fakeHost();
    const pending = host.client.request('getPlant', {});
    await deliveriesSettled();
    host.hostSide.send(JSON.stringify({ type: 'response', id: host.requests[0]!.id, ok: true, result: { sourceLabel: 'text' } }));
    expect(await pending).toEqual({ sourceLabel: 'text' });
  });

  it('reports what it cannot use as protocol errors, and keeps working', async () => {
    const host = fakeHost();
    host.hostSide.send({ type: 'hello', protocolVersion: 1 });
    host.hostSide.send('not json');
    host.hostSide.send({ no: 'type' });
    host.hostSide.send({ type: 'gossip' });
    host.refuse(null, 'invalidMessage', 'id: required');
    host.emit('secrets', { a: 1 });
    host.emit('frame', null);
    host.respond(12345, 'an answer nobody asked for');
    await deliveriesSettled();
    expect(host.protocolErrors).toEqual([
      'a message without a type',
      'a message without a type',
      'a message of unknown type gossip',
      'the host refused a message: id: required',
      'an event of unknown stream secrets',
      'an event of unknown stream frame',
    ]);
    const pending = host.client.request('getPlant', {});
    await deliveriesSettled();
    host.respond(host.requests[0]!.id, 'fine');
    expect(await pending).toBe('fine');
  });
});

describe('HostClient streams', () => {
  it('subscribes at the host once per stream, and unsubscribes when the last listener goes', async () => {
    const host = fakeHost();
    const seenA: number[] = [];
    const seenB: number[] = [];
    const stopA = host.client.subscribe('frame', (data) => seenA.push(data.time));
    const stopB = host.client.subscribe('frame', (data) => seenB.push(data.time));
    await deliveriesSettled();
    expect(host.requests.map((request) => [request.method, request.params])).toEqual([['subscribe', { streams: ['frame'] }]]);

    host.emit('frame', frame(1));
    host.emit('connection', []);
    await deliveriesSettled();
    expect(seenA).toEqual([1]);
    expect(seenB).toEqual([1]);

    stopA();
    stopA();
    host.emit('frame', frame(2));
    await deliveriesSettled();
    expect(seenA).toEqual([1]);
    expect(seenB).toEqual([1, 2]);
    expect(host.requests).toHaveLength(1);

    stopB();
    await deliveriesSettled();
    expect(host.requests.map((request) => [request.method, request.params])).toEqual([
      ['subscribe', { streams: ['frame'] }],
      ['unsubscribe', { streams: ['frame'] }],
    ]);
    stopB();
    await deliveriesSettled();
    expect(host.requests).toHaveLength(2);

    // A new listener subscribes again.
    host.client.subscribe('frame', () => undefined);
    await deliveriesSettled();
    expect(host.requests.at(-1)).toMatchObject({ method: 'subscribe', params: { streams: ['frame'] } });
  });
});

describe('HostClient when the connection ends', () => {
  it('rejects pending requests as disconnected, tells its listeners once, and refuses new requests', async () => {
    const host = fakeHost();
    let closes = 0;
    host.client.onClose(() => closes++);
    const pending = host.client.request('getPlant', {});
    await deliveriesSettled();
    host.hostSide.close();
    await expect(pending).rejects.toMatchObject({ name: 'HostRequestError', code: 'disconnected' });
    await expect(host.client.request('getSnapshot', {})).rejects.toMatchObject({ code: 'disconnected' });
    host.client.close();
    expect(closes).toBe(1);
  });

  it('closes the endpoint when the view closes it', async () => {
    const host = fakeHost();
    let hostSawClose = false;
    host.hostSide.onClose(() => (hostSawClose = true));
    const pending = host.client.request('getPlant', {});
    const stop = host.client.subscribe('frame', () => undefined);
    await deliveriesSettled();
    const sent = host.sentByClient.length;
    host.client.close();
    expect(hostSawClose).toBe(true);
    await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
    // Unsubscribing after the close does not even try to send.
    stop();
    expect(host.sentByClient).toHaveLength(sent);
  });
});
