import type { PlantDescription } from '../../src-main/common/contract.ts';
import type { SignalBinding } from '../../src-main/common/plant-edit.ts';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { proposeJsonBinding, suggestedSignalId, type JsonStep, type ProposedBinding } from '../../src-main/common/propose-binding.ts';
import { plantBrokers } from '../../src-main/common/resolve-brokers.ts';
import { currentHost } from '../host-link.ts';
import { selectMachine } from '../state/view-store.ts';
import { applyPlantEdit, usePlantEditor } from './plant-editor-store.ts';

/** The drag data type of a topic dragged from the topic explorer. */
export const topicDragType = 'application/x-twinline-topic';

/** Keys of a payload that hold its time, not a measurement: never proposed for a dropped topic. */
const timeKeys = new Set(['ts', 't', 'time', 'timestamp', 'q', 'quality']);
/** How deep into a payload a dropped topic's value is looked for. */
const maxDepth = 16;

/**
 * Where the first number (or boolean) of a JSON payload is, in document order, passing over its time and
 * quality fields: what a topic dropped on a machine binds. Undefined when the payload holds none.
 */
export function firstValueSteps(document: unknown, steps: JsonStep[] = []): JsonStep[] | undefined {
  if (typeof document === 'number' || typeof document === 'boolean') return steps;
  if (steps.length >= maxDepth || document === null || typeof document !== 'object') return undefined;
  const entries: Array<[JsonStep, unknown]> = Array.isArray(document) ? document.map((item, index) => [index, item]) : Object.entries(document);
  for (const [key, value] of entries) {
    if (typeof key === 'string' && timeKeys.has(key.toLowerCase())) continue;
    const found = firstValueSteps(value, [...steps, key]);
    if (found) return found;
  }
  return undefined;
}

/** The signal a proposed binding makes on a machine: an id from its name that the machine does not have yet. */
export function signalFromBinding(binding: ProposedBinding, machine: Pick<Machine, 'signals'>): SignalBinding {
  const base = suggestedSignalId(binding);
  const taken = new Set(machine.signals.map((signal) => signal.id));
  let id = base;
  for (let number = 2; taken.has(id); number++) id = `${base.slice(0, 60)}-${number}`;
  const broker = binding.broker === undefined ? {} : { broker: binding.broker };
  if (binding.kind === 'sparkplug') return { id, sparkplug: binding.sparkplug, ...broker };
  return { id, topic: binding.topic, ...(binding.path === undefined ? {} : { path: binding.path }), ...broker };
}

/** Binds a proposed binding to a machine of the plant being edited, and selects the machine so its new signal shows. */
export async function bindToMachine(binding: ProposedBinding, description: PlantDescription, machineIndex: number): Promise<void> {
  const machine = description.plant.machines[machineIndex];
  if (!machine) return;
  const reply = await applyPlantEdit({ type: 'bindSignal', machineId: machine.id, signal: signalFromBinding(binding, machine) });
  if (reply?.ok) selectMachine(reply.plant.machines.findIndex((entry) => entry.id === machine.id));
}

/**
 * Binds a topic dragged from the topic explorer onto a machine: its last payload is asked for, and its
 * first number (or the payload itself) becomes the signal's value.
 */
export async function bindDroppedTopic(dropped: { broker: string; topic: string }, description: PlantDescription, machineIndex: number): Promise<void> {
  const host = currentHost();
  if (!host) return;
  const refuse = (text: string) => usePlantEditor.setState({ message: { text: `${dropped.topic} cannot be bound: ${text}`, refused: true } });
  try {
    const tree = await host.request('getTopicTree', { expanded: [], selected: dropped });
    const detail = tree.selected;
    if (!detail || detail.payload.kind !== 'json') return refuse('its last payload is not JSON; select it and pick a value instead');
    const steps = firstValueSteps(JSON.parse(detail.payload.text) as unknown);
    if (!steps) return refuse('its last payload holds no number or boolean');
    const firstBroker = plantBrokers(description.plant)[0]?.id;
    const proposal = proposeJsonBinding(dropped.broker === firstBroker ? undefined : dropped.broker, dropped.topic, detail.payload.text, steps);
    if (!proposal.ok) return refuse(proposal.reason);
    await bindToMachine(proposal.binding, description, machineIndex);
  } catch (error) {
    refuse(error instanceof Error ? error.message : String(error));
  }
}

/** The dragged topic of a drag event from the topic explorer, validated; undefined for anything else. */
export function droppedTopic(data: string): { broker: string; topic: string } | undefined {
  if (data.length > 2048) return undefined;
  try {
    const value = JSON.parse(data) as unknown;
    if (value === null || typeof value !== 'object') return undefined;
    const { broker, topic } = value as Record<string, unknown>;
    if (typeof broker !== 'string' || typeof topic !== 'string' || broker === '' || topic === '') return undefined;
    return { broker, topic };
  } catch (error) {
    // Text dropped from elsewhere under our type: not a topic.
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
