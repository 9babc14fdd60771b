import { describe, expect, it } from 'vitest';
import { TopicBindings } from './topic-bindings.ts';
import { TopicStore } from './topic-store.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const start = 1_800_000_000_000;

describe('TopicStore', () => {
  it('sums counts, rates and bound topics up the tree, and lists only the children asked for', () => {
    const store = new TopicStore(new TopicBindings([{ key: 'press/temperature', broker: 'line', topic: 'plant/press/temperature' }]));
    // 20 messages a second for 10 seconds on one topic, 5 a second on another, one retained message on a third.
    for (let millisecond = 0; millisecond < 10_000; millisecond += 50) store.record('line', 'plant/press/temperature', bytes('{"value": 1}'), false, start + millisecond);
    for (let millisecond = 0; millisecond < 10_000; millisecond += 200) store.record('line', 'plant/press/pressure', bytes('2'), false, start + millisecond);
    store.record('line', 'plant/oven/state', bytes('RUN'), true, start);
    // Within the tenth second: the window holds all ten seconds of traffic.
    const now = start + 9_999;
    const [root] = store.listings([{ broker: 'line', prefix: null }], now);
    expect(root!.children).toEqual([expect.objectContaining({ name: 'plant', topic: 'plant', topics: 3, messages: 251, bound: 1, hasMessage: false, hasChildren: true })]);
    expect(root!.children[0]!.rate).toBeCloseTo(25, 0);
    const [press] = store.listings([{ broker: 'line', prefix: 'plant/press' }], now);
    expect(press!.children.map((child) => [child.name, child.messages, Math.round(child.rate), child.bound])).toEqual([
      ['pressure', 50, 5, 0],
      ['temperature', 200, 20, 1],
    ]);
    const [oven] = store.listings([{ broker: 'line', prefix: 'plant/oven' }], now);
    expect(oven!.children[0]).toMatchObject({ retained: true, rate: 0, messages: 1 });
    // Twenty seconds later nothing has come: the rate falls to zero while the counts stay.
    expect(store.listings([{ broker: 'line', prefix: 'plant/press' }], now + 20_000)[0]!.children.map((child) => child.rate)).toEqual([0, 0]);
    expect(store.detail('line', 'plant/press/temperature', now, true)).toMatchObject({ boundSignals: ['press/temperature'], payload: { kind: 'json', text: '{"value": 1}' }, size: 12 });
    expect(store.listings([{ broker: 'other', prefix: null }], now)).toEqual([]);
  });

  it('keeps at most its topics and payload bytes, and counts what it dropped', () => {
    const store = new TopicStore(new TopicBindings([]), { maxTopics: 3, maxPayloadBytesPerTopic: 8, maxTotalPayloadBytes: 20 });
    for (let index = 0; index < 5; index++) store.record('b', `t/${index}`, bytes('0123456789'), false, start);
    expect(store.counts()).toEqual({ topics: 3, messages: 5, payloadBytesKept: 16, droppedMessages: 2, droppedPayloads: 1 });
    expect(store.detail('b', 't/0', start, true)).toMatchObject({ size: 10, payload: { kind: 'text', text: '01234567', truncated: true } });
    expect(store.detail('b', 't/2', start, true)?.payload).toMatchObject({ kind: 'notKept' });
    expect(store.detail('b', 't/4', start, true)).toBeUndefined();
    // A kept topic still takes new messages; a smaller payload frees room.
    store.record('b', 't/0', bytes('ab'), false, start);
    store.record('b', 't/2', bytes('xyz'), false, start);
    expect(store.counts()).toMatchObject({ topics: 3, payloadBytesKept: 13 });
    expect(store.detail('b', 't/2', start, true)?.payload).toEqual({ kind: 'text', text: 'xyz', truncated: false });
  });

  it('refuses topics too deep to keep', () => {
    const store = new TopicStore(new TopicBindings([]));
    store.record('b', Array.from({ length: 40 }, () => 'a').join('/'), bytes('1'), false, start);
    expect(store.counts()).toMatchObject({ topics: 0, droppedMessages: 1 });
  });
});
