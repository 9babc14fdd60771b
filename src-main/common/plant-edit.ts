import { z } from 'zod';
import { alarmPriorities, type Plant } from './plant-schema.ts';

/**
 * The plant editor's actions: each changes one thing in the plant file. Views send them to the host
 * (`serve --edit`), which applies them to the file's text in place (see src-main/node/plant-editing).
 * This schema checks only shape and size; whether the result is a valid plant is decided by parsing
 * the edited file, so every rule of the plant schema applies to edits too.
 */

const maxText = 256;
const text = z.string().min(1).max(maxText);
const longText = z.string().min(1).max(1024);
const number = z.number().finite();
const vector3 = z.tuple([number, number, number]);
/** Machine and signal ids as the plant schema writes them; checked again by the plant schema. */
const identifier = z.string().min(1).max(64);

const priority = z.enum(alarmPriorities).optional();

/** Health limits as written in the file, with each limit's alarm priority; the plant schema checks their order. */
const limitsEdit = z
  .object({
    lowAlarm: number.optional(),
    lowWarn: number.optional(),
    highWarn: number.optional(),
    highAlarm: number.optional(),
    deadband: number.optional(),
    onDelay: number.optional(),
    priority: z.object({ lowAlarm: priority, lowWarn: priority, highWarn: priority, highAlarm: priority }).strict().optional(),
  })
  .strict();

const sparkplugEdit = z.object({ group: text, node: text, device: text.optional(), metric: longText }).strict();

/** A machine's model reference as written in the file: a file, and one node, several nodes or (neither) the whole file. */
const modelEdit = z
  .object({
    file: text,
    /** A simplified copy of the file for machines far from the camera. */
    lod: text.optional(),
    node: longText.optional(),
    nodes: z.array(longText).min(1).max(1000).optional(),
    units: z.enum(['mm', 'cm', 'm', 'in']).optional(),
    scale: number.optional(),
    up: z.enum(['y', 'z']).optional(),
    rotation: number.optional(),
    offset: vector3.optional(),
    size: vector3.optional(),
  })
  .strict();

const primitiveEdit = z.object({ shape: z.enum(['box', 'cylinder', 'sphere']), size: vector3.optional(), color: text.optional() }).strict();

/** A signal binding: a topic (and a JSON path into its payload) or a Sparkplug metric, with what else the file says of it. */
const signalEdit = z
  .object({
    id: identifier,
    name: text.optional(),
    topic: longText.optional(),
    path: text.optional(),
    sparkplug: sparkplugEdit.optional(),
    broker: identifier.optional(),
    unit: z.string().max(64).optional(),
    period: number.optional(),
    staleAfter: number.optional(),
    scale: number.optional(),
    offset: number.optional(),
    states: z.record(text, number).optional(),
    limits: limitsEdit.optional(),
  })
  .strict();

const animationEdit = z.union([
  z.object({ node: longText, property: text, signal: identifier, scale: number.optional(), offset: number.optional(), min: number.optional(), max: number.optional() }).strict(),
  z.object({ node: longText, spin: z.enum(['x', 'y', 'z']), signal: identifier, scale: number.optional() }).strict(),
]);

/** A machine to add; without an id, one is made from its name that no other machine has. */
const newMachine = z
  .object({
    id: identifier.optional(),
    name: text,
    kind: text.optional(),
    area: text,
    line: text,
    model: modelEdit.optional(),
    primitive: primitiveEdit.optional(),
    position: vector3.optional(),
    rotation: number.optional(),
  })
  .strict();

const machineId = identifier;

/** Every editor action, validated; unknown fields are refused. */
export const plantEditSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('addMachine'), machine: newMachine }).strict(),
  z.object({ type: z.literal('moveMachine'), machineId, position: vector3 }).strict(),
  z.object({ type: z.literal('rotateMachine'), machineId, rotation: number }).strict(),
  z
    .object({
      type: z.literal('duplicateMachine'),
      machineId,
      /** The copy's id; default the original's with the next free number. */
      newId: identifier.optional(),
      /** Metres from the original; default 2 m along x, so the copy does not hide in it. */
      offset: vector3.optional(),
    })
    .strict(),
  z.object({ type: z.literal('deleteMachine'), machineId }).strict(),
  z
    .object({
      type: z.literal('setMachineFields'),
      machineId,
      name: text.optional(),
      /** null removes the kind. */
      kind: text.nullable().optional(),
      area: text.optional(),
      line: text.optional(),
    })
    .strict(),
  z.object({ type: z.literal('bindSignal'), machineId, signal: signalEdit }).strict(),
  z
    .object({
      type: z.literal('setSignalFields'),
      machineId,
      signalId: identifier,
      unit: z.string().max(64).optional(),
      period: number.optional(),
      /** null removes the field, so the default applies again. */
      staleAfter: number.nullable().optional(),
      /** The signal's whole limits; null removes them. */
      limits: limitsEdit.nullable().optional(),
    })
    .strict(),
  z.object({ type: z.literal('removeSignal'), machineId, signalId: identifier }).strict(),
  z
    .object({
      type: z.literal('bindAnimation'),
      machineId,
      animation: animationEdit,
      /** Replace the machine's animation at this index instead of adding one. */
      replaceIndex: z.number().int().min(0).max(10_000).optional(),
    })
    .strict(),
  z.object({ type: z.literal('removeAnimation'), machineId, index: z.number().int().min(0).max(10_000) }).strict(),
]);

/** One editor action. */
export type PlantEdit = z.infer<typeof plantEditSchema>;
/** The name of an editor action, e.g. `moveMachine`. */
export type PlantEditType = PlantEdit['type'];
/** A machine as the addMachine action gives it. */
export type NewMachine = z.infer<typeof newMachine>;
/** A signal binding as the bindSignal action gives it. */
export type SignalBinding = z.infer<typeof signalEdit>;
/** An animation binding as the bindAnimation action gives it. */
export type AnimationBinding = z.infer<typeof animationEdit>;

/** The outcome of checking an untrusted action: the action, or why it was refused. */
export type PlantEditCheck = { ok: true; edit: PlantEdit } | { ok: false; reason: string };

/** Checks an action from outside (a view's message): its shape, sizes and numbers. */
export function checkPlantEdit(value: unknown): PlantEditCheck {
  const result = plantEditSchema.safeParse(value);
  if (result.success) return { ok: true, edit: result.data };
  const issue = result.error.issues[0]!;
  const where = issue.path.map(String).join('.');
  return { ok: false, reason: `The edit is not valid: ${where === '' ? '' : `${where}: `}${issue.message}` };
}

/** A short description of an action for undo and redo menus, e.g. "Move press-1". */
export function describePlantEdit(edit: PlantEdit): string {
  switch (edit.type) {
    case 'addMachine':
      return `Add ${edit.machine.name}`;
    case 'moveMachine':
      return `Move ${edit.machineId}`;
    case 'rotateMachine':
      return `Rotate ${edit.machineId}`;
    case 'duplicateMachine':
      return `Duplicate ${edit.machineId}`;
    case 'deleteMachine':
      return `Delete ${edit.machineId}`;
    case 'setMachineFields':
      return `Change ${edit.machineId}`;
    case 'bindSignal':
      return `Bind ${edit.machineId}/${edit.signal.id}`;
    case 'setSignalFields':
      return `Change ${edit.machineId}/${edit.signalId}`;
    case 'removeSignal':
      return `Remove ${edit.machineId}/${edit.signalId}`;
    case 'bindAnimation':
      return `Animate ${edit.machineId} ${edit.animation.node}`;
    case 'removeAnimation':
      return `Remove animation ${edit.index + 1} of ${edit.machineId}`;
  }
}

/** What a view may ask of the plant editor (`serve --edit`): apply an action, undo, redo, save, or go back to the file on disk. */
export const plantEditorRequestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('apply'), edit: plantEditSchema }).strict(),
  z.object({ action: z.literal('undo') }).strict(),
  z.object({ action: z.literal('redo') }).strict(),
  /** `overwrite` saves over a file someone else changed since it was loaded (after the user chose so). */
  z.object({ action: z.literal('save'), overwrite: z.boolean().optional() }).strict(),
  /** Drops the edits not yet saved and loads the file as it is on disk. */
  z.object({ action: z.literal('revert') }).strict(),
]);

/** A request to the plant editor. */
export type PlantEditorRequest = z.infer<typeof plantEditorRequestSchema>;

/** Where the plant editor stands; views ask for it about once a second while editing. */
export interface PlantEditorState {
  /** The plant file's name (not its path: views are not told where the host's files are). */
  fileName: string;
  /** Labels of what undo and redo would do next. */
  undo?: string;
  redo?: string;
  /** Edits not yet saved. */
  unsaved: boolean;
  /** The file was changed on disk by someone else while there were unsaved edits: offer to revert (load it) or save over it. */
  changedOnDisk: boolean;
  /** Goes up with every change of the editor's text or state, so a view can tell whether to fetch the plant again. */
  version: number;
}

/** The editor's state and the plant with the edits not yet saved. */
export interface PlantEditorView {
  state: PlantEditorState;
  plant: Plant;
}

/** The outcome of an editor request: the plant now (with what the user should know), or why nothing changed. */
export type PlantEditorReply =
  | { ok: true; state: PlantEditorState; plant: Plant; notes: string[] }
  | { ok: false; state: PlantEditorState; reason: string; /** Saving was refused because the file changed on disk. */ conflict?: boolean };
