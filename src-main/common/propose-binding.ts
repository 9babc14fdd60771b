import { stringify } from 'yaml';
import { compileJsonPath } from './decode-sample.ts';

/** One step into a JSON document: an object key or an array index. */
export type JsonStep = string | number;

/**
 * The binding a plant file needs for a value seen in the topic explorer, in the plant schema's own
 * terms: a JSON topic with its `path` (absent: the payload itself is the value), or a Sparkplug metric.
 * `broker` is absent for the plant's first broker, which a signal need not name.
 */
export type ProposedBinding =
  | { kind: 'json'; broker: string | undefined; topic: string; path: string | undefined; value: number | boolean }
  | { kind: 'sparkplug'; broker: string | undefined; sparkplug: { group: string; node: string; device?: string; metric: string }; value: number | boolean };

/** A proposal, or why the picked value cannot be bound. */
export type BindingProposal = { ok: true; binding: ProposedBinding; yaml: string } | { ok: false; reason: string };

// A key the plant's path syntax can name: `compileJsonPath` reads names up to ".", "[" or "]".
const plainKey = /^[^.[\]]+$/;

/** The plant-schema path (`data.values[2]`) of a sequence of steps; undefined for the payload itself. Throws for a key the syntax cannot name. */
export function jsonPathOf(steps: readonly JsonStep[]): string | undefined {
  let path = '';
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Number.isSafeInteger(step) || step < 0) throw new Error(`array index ${step} is not a whole number`);
      path += `[${step}]`;
    } else {
      if (!plainKey.test(step)) throw new Error(`the key "${step.slice(0, 64)}" has ".", "[" or "]" in it, which a signal's path cannot name`);
      path += path === '' ? step : `.${step}`;
    }
  }
  return path === '' ? undefined : path;
}

/** The value at `steps` inside a document, or undefined when there is none. */
function valueAt(document: unknown, steps: readonly JsonStep[]): unknown {
  let value = document;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(value)) return undefined;
      value = value[step];
    } else {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, step)) return undefined;
      value = (value as Record<string, unknown>)[step];
    }
  }
  return value;
}

/**
 * Proposes the signal binding for the value at `steps` inside a topic's payload. Only a number or a
 * boolean can be a signal's value without more settings (text needs `states`), and only a payload
 * that is JSON can be read by path: anything else is refused with the reason.
 */
export function proposeJsonBinding(broker: string | undefined, topic: string, payloadText: string | undefined, steps: readonly JsonStep[]): BindingProposal {
  if (/[+#]/.test(topic) || topic === '') return { ok: false, reason: 'a signal needs a concrete topic, without wildcards' };
  if (payloadText === undefined) return { ok: false, reason: 'the payload is not text, so no JSON path can read it' };
  let document: unknown;
  try {
    document = JSON.parse(payloadText);
  } catch (error) {
    // Expected for text and binary payloads: the reason is the answer.
    return { ok: false, reason: `the payload is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const value = valueAt(document, steps);
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    return { ok: false, reason: value === undefined ? 'there is no value at that place in the payload' : `the value there is ${value === null ? 'null' : typeof value === 'string' ? 'text' : Array.isArray(value) ? 'an array' : 'an object'}, not a number or a boolean` };
  }
  let path: string | undefined;
  try {
    path = jsonPathOf(steps);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  // A path the plant parser would read differently is never proposed.
  if (path !== undefined && JSON.stringify(compileJsonPath(path)) !== JSON.stringify(steps)) return { ok: false, reason: `the path "${path}" would not read back the same place` };
  const binding: ProposedBinding = { kind: 'json', broker, topic, path, value };
  return { ok: true, binding, yaml: bindingYaml(binding) };
}

/** Proposes the binding of one Sparkplug B metric of an edge node (and device). */
export function proposeSparkplugBinding(broker: string | undefined, address: { group: string; node: string; device?: string }, metric: string, value: unknown): BindingProposal {
  if (typeof value !== 'number' && typeof value !== 'boolean') return { ok: false, reason: 'the metric is not a number or a boolean' };
  if (metric === '') return { ok: false, reason: 'the metric has no name (only an alias), so a plant file cannot name it' };
  const sparkplug = { group: address.group, node: address.node, ...(address.device === undefined ? {} : { device: address.device }), metric };
  const binding: ProposedBinding = { kind: 'sparkplug', broker, sparkplug, value };
  return { ok: true, binding, yaml: bindingYaml(binding) };
}

/** A signal id made from the last name of the path, topic or metric: letters, digits, "_", "." and "-". */
export function suggestedSignalId(binding: ProposedBinding): string {
  // A path that ends in a value field names no quantity: the topic's last level does.
  const path = binding.kind === 'json' && binding.path !== undefined && !/(^|\.)(value|v)$/.test(binding.path) ? binding.path : undefined;
  const source = binding.kind === 'json' ? (path ?? binding.topic) : binding.sparkplug.metric;
  const last = source.split(/[./[\]]+/).filter((part) => part !== '' && !/^\d+$/.test(part)).pop() ?? 'value';
  const id = last.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64);
  return id === '' ? 'value' : id;
}

/** The YAML of one entry of a machine's `signals` list for a binding, ready to paste. */
export function bindingYaml(binding: ProposedBinding): string {
  const entry: Record<string, unknown> = { id: suggestedSignalId(binding) };
  if (binding.kind === 'json') {
    entry.topic = binding.topic;
    if (binding.path !== undefined) entry.path = binding.path;
  } else {
    entry.sparkplug = binding.sparkplug;
  }
  if (binding.broker !== undefined) entry.broker = binding.broker;
  return stringify([entry], { lineWidth: 0 });
}
