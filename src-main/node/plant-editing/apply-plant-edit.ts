import { parseDocument } from 'yaml';
import { formatPlantProblem, parsePlantText } from '../../common/parse-plant.ts';
import type { AnimationBinding, NewMachine, PlantEdit, SignalBinding } from '../../common/plant-edit.ts';
import type { Plant } from '../../common/plant-schema.ts';
import { YamlEditRefused, YamlTextEditor, type YamlPath } from './yaml-text-editor.ts';

/** The outcome of an edit: the new file text and plant (with what the user should know), or why it was refused. */
export type PlantEditOutcome = { ok: true; text: string; plant: Plant; notes: string[] } | { ok: false; reason: string };

/** Where each machine field goes when it is added, so a new key sits beside its kin rather than at the end. */
const machineFieldAfter: Record<string, string> = { name: 'id', kind: 'name', area: 'name', line: 'area', position: 'line', rotation: 'position', signals: 'rotation', animations: 'signals' };
const signalFieldOrder = ['id', 'name', 'topic', 'path', 'sparkplug', 'broker', 'states', 'scale', 'offset', 'unit', 'period', 'staleAfter', 'limits'] as const;

/**
 * Applies one editor action to the plant file's text (the validated `plant` is that text parsed).
 * Only the values the action touches change in the text; the result must parse as a valid plant,
 * else the action is refused with every problem, and the text stays as it was.
 */
export function applyPlantEdit(text: string, plant: Plant, edit: PlantEdit, fileName = 'plant.yaml'): PlantEditOutcome {
  const editor = new YamlTextEditor(text);
  const notes: string[] = [];
  try {
    applyToText(editor, plant, edit, text, notes);
  } catch (error) {
    if (error instanceof YamlEditRefused) return { ok: false, reason: error.message };
    return { ok: false, reason: `The edit could not be made: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = parsePlantText(editor.text, fileName);
  if (!parsed.ok) return { ok: false, reason: `The edit would make the plant file invalid:\n${parsed.problems.map(formatPlantProblem).join('\n')}` };
  return { ok: true, text: editor.text, plant: parsed.plant, notes };
}

function applyToText(editor: YamlTextEditor, plant: Plant, edit: PlantEdit, text: string, notes: string[]): void {
  if (edit.type === 'addMachine') return addMachine(editor, plant, edit.machine);
  const index = machineIndex(plant, edit.machineId);
  const machinePath: YamlPath = ['machines', index];
  const setMachineField = (key: string, value: unknown) => editor.set([...machinePath, key], value, machineFieldAfter[key]);
  switch (edit.type) {
    case 'moveMachine':
      return setMachineField('position', edit.position);
    case 'rotateMachine':
      return setMachineField('rotation', edit.rotation);
    case 'deleteMachine':
      return editor.delete(machinePath);
    case 'duplicateMachine':
      return duplicateMachine(editor, plant, index, edit.newId, edit.offset ?? [2, 0, 0], text, notes);
    case 'setMachineFields': {
      for (const key of ['name', 'area', 'line'] as const) if (edit[key] !== undefined) setMachineField(key, edit[key]);
      if (edit.kind === null) {
        if (editor.has([...machinePath, 'kind'])) editor.delete([...machinePath, 'kind']);
      } else if (edit.kind !== undefined) setMachineField('kind', edit.kind);
      return;
    }
    case 'bindSignal':
      return bindSignal(editor, plant, index, edit.signal);
    case 'setSignalFields': {
      const signalPath: YamlPath = [...machinePath, 'signals', signalIndex(plant, index, edit.signalId)];
      const setOrRemove = (key: string, value: unknown, after: string) => {
        if (value === undefined) return;
        const empty = value === null || (typeof value === 'object' && Object.values(value).every((item) => item === undefined));
        if (!empty) editor.set([...signalPath, key], value, after);
        else if (editor.has([...signalPath, key])) editor.delete([...signalPath, key]);
      };
      setOrRemove('unit', edit.unit, 'broker');
      setOrRemove('period', edit.period, 'unit');
      setOrRemove('staleAfter', edit.staleAfter, 'period');
      setOrRemove('limits', edit.limits, 'staleAfter');
      return;
    }
    case 'removeSignal':
      return editor.delete([...machinePath, 'signals', signalIndex(plant, index, edit.signalId)]);
    case 'bindAnimation':
      return bindAnimation(editor, plant, index, edit.animation, edit.replaceIndex);
    case 'removeAnimation': {
      if (edit.index >= plant.machines[index]!.animations.length) throw new YamlEditRefused(`${edit.machineId} has no animation ${edit.index + 1}`);
      return editor.delete([...machinePath, 'animations', edit.index]);
    }
  }
}

function machineIndex(plant: Plant, id: string): number {
  const index = plant.machines.findIndex((machine) => machine.id === id);
  if (index < 0) throw new YamlEditRefused(`There is no machine "${id}" in the plant`);
  return index;
}

function signalIndex(plant: Plant, machine: number, id: string): number {
  const index = plant.machines[machine]!.signals.findIndex((signal) => signal.id === id);
  if (index < 0) throw new YamlEditRefused(`Machine "${plant.machines[machine]!.id}" has no signal "${id}"`);
  return index;
}

function addMachine(editor: YamlTextEditor, plant: Plant, machine: NewMachine): void {
  const ids = new Set(plant.machines.map((entry) => entry.id));
  const id = machine.id ?? freeId(idFromName(machine.name, machine.model?.file), ids);
  if (ids.has(id)) throw new YamlEditRefused(`A machine with id "${id}" is already in the plant`);
  const written: Record<string, unknown> = {
    id,
    name: machine.name,
    kind: machine.kind,
    area: machine.area,
    line: machine.line,
    model: machine.model,
    primitive: machine.primitive,
    position: machine.position ?? [0, 0, 0],
    rotation: machine.rotation,
  };
  editor.append(['machines'], written);
}

/** An id from a name: lower case, words joined by "-", only the characters ids may have. */
function idFromName(name: string, file: string | undefined): string {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48);
  return slug(name) || slug(file?.replace(/\.(glb|gltf)$/, '') ?? '') || 'machine';
}

/** `base` when free, else `base-2`, `base-3` …; an id ending in a number counts on from it (press-1 → press-2). */
function freeId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  const numbered = /^(.*?)(\d+)$/.exec(base);
  const stem = numbered ? numbered[1]! : `${base}-`;
  let number = numbered ? Number(numbered[2]) + 1 : 2;
  while (taken.has(`${stem}${number}`)) number++;
  return `${stem}${number}`;
}

/** The machines as written in the file (before defaults), so a copy writes what the original wrote. */
function writtenMachines(text: string): Array<Record<string, unknown>> {
  const value = parseDocument(text).toJS({ maxAliasCount: 100 }) as { machines?: Array<Record<string, unknown>> };
  return value.machines ?? [];
}

/** Where a signal's values come from, as the plant schema tells bindings apart (broker as written). */
function bindingKey(signal: Record<string, unknown>): string {
  const broker = String(signal.broker ?? '');
  if (typeof signal.topic === 'string') return `${broker}\u0000${signal.topic}\u0000${String(signal.path ?? '')}`;
  const sparkplug = (signal.sparkplug ?? {}) as Record<string, unknown>;
  return `${broker}\u0001${['group', 'node', 'device', 'metric'].map((key) => String(sparkplug[key] ?? '')).join('\u0000')}`;
}

function duplicateMachine(editor: YamlTextEditor, plant: Plant, index: number, newId: string | undefined, offset: readonly number[], text: string, notes: string[]): void {
  const original = writtenMachines(text)[index]!;
  const originalId = plant.machines[index]!.id;
  const ids = new Set(plant.machines.map((machine) => machine.id));
  const id = newId ?? freeId(originalId, ids);
  if (ids.has(id)) throw new YamlEditRefused(`A machine with id "${id}" is already in the plant`);
  const originalNumber = /(\d+)$/.exec(originalId)?.[1];
  const idNumber = /(\d+)$/.exec(id)?.[1];
  const name = String(original.name);
  // "Press 1" copied as press-2 is "Press 2"; any other copy says so in its name.
  const copyName = originalNumber !== undefined && idNumber !== undefined && name.endsWith(originalNumber) ? `${name.slice(0, -originalNumber.length)}${idNumber}` : `${name} (copy)`;
  const position = plant.machines[index]!.position.map((value, axis) => value + (offset[axis] ?? 0));
  // Topics and Sparkplug ids that name the original name the copy instead; a binding that would still
  // be the original's is left out, since two machines cannot show the same value.
  const used = new Set(writtenMachines(text).flatMap((machine) => ((machine.signals as Array<Record<string, unknown>> | undefined) ?? []).map(bindingKey)));
  const renamed = (value: unknown) => (value === originalId ? id : value);
  const signals: Array<Record<string, unknown>> = [];
  const dropped = new Set<string>();
  for (const signal of (original.signals as Array<Record<string, unknown>> | undefined) ?? []) {
    const copy: Record<string, unknown> = { ...signal };
    if (typeof signal.topic === 'string') copy.topic = signal.topic.split('/').map(renamed).join('/');
    if (signal.sparkplug && typeof signal.sparkplug === 'object') {
      const sparkplug = signal.sparkplug as Record<string, unknown>;
      copy.sparkplug = { ...sparkplug, node: renamed(sparkplug.node), ...(sparkplug.device === undefined ? {} : { device: renamed(sparkplug.device) }) };
    }
    if (used.has(bindingKey(copy))) dropped.add(String(signal.id));
    else signals.push(copy);
  }
  const animations = ((original.animations as Array<Record<string, unknown>> | undefined) ?? []).filter((animation) => !dropped.has(String(animation.signal)));
  if (dropped.size > 0) notes.push(`The copy ${id} has no signal ${[...dropped].join(', ')}: its topic does not name ${originalId}, and the original keeps it. Bind it to the copy's own topic.`);
  const { id: _id, name: _name, position: _position, signals: _signals, animations: _animations, ...rest } = original;
  editor.append(['machines'], { id, name: copyName, ...rest, position, ...(signals.length > 0 ? { signals } : {}), ...(animations.length > 0 ? { animations } : {}) });
}

function orderedSignal(signal: SignalBinding): Record<string, unknown> {
  const written: Record<string, unknown> = {};
  for (const key of signalFieldOrder) if (signal[key] !== undefined) written[key] = signal[key];
  return written;
}

function bindSignal(editor: YamlTextEditor, plant: Plant, index: number, signal: SignalBinding): void {
  const machinePath: YamlPath = ['machines', index];
  const existing = plant.machines[index]!.signals.findIndex((entry) => entry.id === signal.id);
  if (existing < 0) {
    if (editor.has([...machinePath, 'signals'])) editor.append([...machinePath, 'signals'], orderedSignal(signal));
    else editor.set([...machinePath, 'signals'], [orderedSignal(signal)], machineFieldAfter.signals);
    return;
  }
  // Rebinding: the binding (topic and path, or Sparkplug metric, and broker) is replaced as a whole; the rest is changed where given.
  const signalPath: YamlPath = [...machinePath, 'signals', existing];
  for (const key of ['topic', 'path', 'sparkplug', 'broker'] as const) {
    if (signal[key] === undefined && editor.has([...signalPath, key])) editor.delete([...signalPath, key]);
  }
  let previous = 'id';
  for (const key of signalFieldOrder) {
    if (key !== 'id' && signal[key] !== undefined) editor.set([...signalPath, key], signal[key], previous);
    if (editor.has([...signalPath, key])) previous = key;
  }
}

function bindAnimation(editor: YamlTextEditor, plant: Plant, index: number, animation: AnimationBinding, replaceIndex: number | undefined): void {
  const animationsPath: YamlPath = ['machines', index, 'animations'];
  if (replaceIndex !== undefined) {
    if (replaceIndex >= plant.machines[index]!.animations.length) throw new YamlEditRefused(`${plant.machines[index]!.id} has no animation ${replaceIndex + 1}`);
    editor.set([...animationsPath, replaceIndex], animation);
  } else if (editor.has(animationsPath)) editor.append(animationsPath, animation);
  else editor.set(animationsPath, [animation], machineFieldAfter.animations);
}
