import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileSampleReader, parsePayload, readSignalSample } from './decode-sample.ts';
import { signalSchema } from './plant-schema.ts';
import { jsonPathOf, proposeJsonBinding, proposeSparkplugBinding } from './propose-binding.ts';

/** Reads the proposed signal back the way ingest would, to prove the proposal binds the picked value. */
function readBack(yaml: string, payload: string): unknown {
  const [entry] = parse(yaml) as unknown[];
  const signal = signalSchema.parse(entry);
  const parsed = parsePayload(payload);
  if (!parsed.ok) throw new Error('payload is not JSON');
  return readSignalSample(parsed.document, compileSampleReader(signal));
}

describe('proposeJsonBinding', () => {
  it('binds a number in nested objects by a dotted path that ingest reads back', () => {
    const payload = '{"drive": {"motor": {"temperature": 71.5, "on": true}}}';
    const proposal = proposeJsonBinding(undefined, 'plant/press1/telemetry', payload, ['drive', 'motor', 'temperature']);
    expect(proposal).toEqual({
      ok: true,
      binding: { kind: 'json', broker: undefined, topic: 'plant/press1/telemetry', path: 'drive.motor.temperature', value: 71.5 },
      yaml: '- id: temperature\n  topic: plant/press1/telemetry\n  path: drive.motor.temperature\n',
    });
    if (!proposal.ok) throw new Error('unreachable');
    expect(readBack(proposal.yaml, payload)).toEqual({ ok: true, value: 71.5 });
  });

  it('binds a number inside arrays with index steps', () => {
    const payload = '{"axes": [{"position": [0.5, 1.25]}, {"position": [2, 3]}]}';
    const proposal = proposeJsonBinding('line2', 'cell/robot', payload, ['axes', 1, 'position', 0]);
    expect(proposal).toMatchObject({ ok: true, binding: { path: 'axes[1].position[0]', value: 2, broker: 'line2' } });
    if (!proposal.ok) throw new Error('unreachable');
    expect(proposal.yaml).toContain('broker: line2');
    expect(readBack(proposal.yaml, payload)).toEqual({ ok: true, value: 2 });
  });

  it('binds a bare number payload without a path, and a boolean', () => {
    expect(proposeJsonBinding(undefined, 'a/b', '42', [])).toMatchObject({ ok: true, binding: { path: undefined, value: 42 }, yaml: '- id: b\n  topic: a/b\n' });
    expect(proposeJsonBinding(undefined, 'a/b', '{"running": false}', ['running'])).toMatchObject({ ok: true, binding: { path: 'running', value: false } });
    // A value field names no quantity: the id comes from the topic.
    expect(proposeJsonBinding(undefined, 'demo/eaf-1/temperature', '{"value": 1600, "ts": 1}', ['value'])).toMatchObject({ ok: true, yaml: '- id: temperature\n  topic: demo/eaf-1/temperature\n  path: value\n' });
  });

  it('refuses what it cannot bind: text, binary, objects, missing places, keys the path cannot name, wildcards', () => {
    expect(proposeJsonBinding(undefined, 'a', '{"state": "RUNNING"}', ['state'])).toEqual({ ok: false, reason: 'the value there is text, not a number or a boolean' });
    expect(proposeJsonBinding(undefined, 'a', undefined, [])).toMatchObject({ ok: false, reason: expect.stringMatching(/not text/) });
    expect(proposeJsonBinding(undefined, 'a', 'hello', [])).toMatchObject({ ok: false, reason: expect.stringMatching(/not JSON/) });
    expect(proposeJsonBinding(undefined, 'a', '{"x": {"y": 1}}', ['x'])).toMatchObject({ ok: false, reason: expect.stringMatching(/an object/) });
    expect(proposeJsonBinding(undefined, 'a', '{"x": [1]}', ['x', 3])).toMatchObject({ ok: false, reason: expect.stringMatching(/no value/) });
    expect(proposeJsonBinding(undefined, 'a', '{"x.y": 1}', ['x.y'])).toMatchObject({ ok: false, reason: expect.stringMatching(/cannot name/) });
    expect(proposeJsonBinding(undefined, 'a/#', '1', [])).toMatchObject({ ok: false, reason: expect.stringMatching(/wildcards/) });
  });
});

describe('proposeSparkplugBinding', () => {
  it('binds a device metric in the sparkplug block of the plant schema', () => {
    const proposal = proposeSparkplugBinding(undefined, { group: 'Plant1', node: 'Edge1', device: 'Press1' }, 'Drive/Speed', 1450);
    expect(proposal).toMatchObject({ ok: true, binding: { kind: 'sparkplug', sparkplug: { group: 'Plant1', node: 'Edge1', device: 'Press1', metric: 'Drive/Speed' } } });
    if (!proposal.ok) throw new Error('unreachable');
    const [entry] = parse(proposal.yaml) as unknown[];
    expect(signalSchema.parse(entry)).toMatchObject({ id: 'Speed', sparkplug: { metric: 'Drive/Speed' } });
  });

  it('refuses text metrics and metrics known only by alias', () => {
    expect(proposeSparkplugBinding(undefined, { group: 'g', node: 'n' }, 'Mode', 'AUTO')).toMatchObject({ ok: false });
    expect(proposeSparkplugBinding(undefined, { group: 'g', node: 'n' }, '', 3)).toMatchObject({ ok: false });
  });
});

describe('jsonPathOf', () => {
  it('writes names with dots and indices in brackets', () => {
    expect(jsonPathOf(['a', 0, 'b', 12])).toBe('a[0].b[12]');
    expect(jsonPathOf([0])).toBe('[0]');
    expect(jsonPathOf([])).toBeUndefined();
  });
});
