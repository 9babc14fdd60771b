import { describe, expect, it } from 'vitest';
import { droppedTopic, firstValueSteps, signalFromBinding } from './bind-topic.ts';

describe('binding a dropped topic', () => {
  it('finds the first measured value of a payload, passing over its time and quality', () => {
    expect(firstValueSteps(42)).toEqual([]);
    expect(firstValueSteps({ ts: 1700000000000, value: 71.5, q: 192 })).toEqual(['value']);
    expect(firstValueSteps({ time: 5, data: { name: 'x', axes: [{ id: 'a' }, { torque: 3 }] } })).toEqual(['data', 'axes', 1, 'torque']);
    expect(firstValueSteps({ name: 'idle' })).toBeUndefined();
  });

  it('makes a signal with an id the machine does not have yet, naming the broker only when it is not the first', () => {
    const binding = { kind: 'json' as const, broker: undefined, topic: 'cell/press/temperature', path: undefined, value: 20 };
    expect(signalFromBinding(binding, { signals: [] })).toEqual({ id: 'temperature', topic: 'cell/press/temperature' });
    const taken = [{ id: 'temperature' }, { id: 'temperature-2' }] as never;
    expect(signalFromBinding({ ...binding, broker: 'utilities', path: 'value' }, { signals: taken })).toEqual({ id: 'temperature-3', topic: 'cell/press/temperature', path: 'value', broker: 'utilities' });
  });

  it('takes only a well-formed dragged topic', () => {
    expect(droppedTopic('{"broker":"line","topic":"a/b"}')).toEqual({ broker: 'line', topic: 'a/b' });
    expect(droppedTopic('{"broker":"line"}')).toBeUndefined();
    expect(droppedTopic('not json')).toBeUndefined();
    expect(droppedTopic(`{"broker":"line","topic":"${'a'.repeat(3000)}"}`)).toBeUndefined();
  });
});
