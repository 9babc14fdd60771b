import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { describePlantEdit, type PlantEdit } from '../../common/plant-edit.ts';
import type { Plant } from '../../common/plant-schema.ts';
import { maxPlantFileBytes } from '../load-plant-file.ts';
import { applyPlantEdit } from './apply-plant-edit.ts';
import { EditHistory } from './edit-history.ts';

/** What an action, undo or redo did: the plant now (with anything the user should know), or why nothing changed. */
export type PlantDocumentResult = { ok: true; plant: Plant; notes: string[] } | { ok: false; reason: string };

/** What the editor can undo and redo next, and whether there are changes not yet saved. */
export interface PlantDocumentState {
  undo: string | undefined;
  redo: string | undefined;
  unsaved: boolean;
}

/**
 * A plant file open for editing: its text is the source of truth, and every action rewrites only the
 * part of the text it touches. An action that would make the plant invalid is refused and the text
 * stays as it was. Every action can be undone and redone.
 */
export class PlantDocument {
  private currentText: string;
  private currentPlant: Plant;
  private savedText: string;
  private readonly history = new EditHistory();
  readonly fileName: string;

  /** Opens plant text; throws a PlantFileError listing every problem when it is not a valid plant. */
  constructor(text: string, fileName = 'plant.yaml') {
    this.fileName = fileName;
    this.currentPlant = parsePlantOrThrow(text, fileName);
    this.currentText = text;
    this.savedText = text;
  }

  /** The file text with every action so far. */
  get text(): string {
    return this.currentText;
  }

  /** The plant the text describes. */
  get plant(): Plant {
    return this.currentPlant;
  }

  /** Undo and redo labels, and whether the text differs from the last saved or loaded one. */
  get state(): PlantDocumentState {
    return { ...this.history.peek(), unsaved: this.currentText !== this.savedText };
  }

  /** Applies an action; refused actions leave the text, the plant and the history unchanged. */
  apply(edit: PlantEdit): PlantDocumentResult {
    const outcome = applyPlantEdit(this.currentText, this.currentPlant, edit, this.fileName);
    if (!outcome.ok) return outcome;
    // A plant that could never be saved or loaded is not kept either: each action parses the whole text, and the history holds copies of it.
    const bytes = Buffer.byteLength(outcome.text, 'utf8');
    if (bytes > maxPlantFileBytes) return { ok: false, reason: `the plant would be ${bytes} bytes; a plant file may have at most ${maxPlantFileBytes}` };
    this.history.record({ label: describePlantEdit(edit), before: this.currentText, after: outcome.text });
    this.currentText = outcome.text;
    this.currentPlant = outcome.plant;
    return { ok: true, plant: outcome.plant, notes: outcome.notes };
  }

  /** Returns the text to what it was before the last action. */
  undo(): PlantDocumentResult {
    const step = this.history.undo();
    if (!step) return { ok: false, reason: 'Nothing to undo' };
    return this.show(step.before);
  }

  /** Makes the last undone action again. */
  redo(): PlantDocumentResult {
    const step = this.history.redo();
    if (!step) return { ok: false, reason: 'Nothing to redo' };
    return this.show(step.after);
  }

  /** Notes that the current text is what the file on disk now holds. */
  markSaved(): void {
    this.savedText = this.currentText;
  }

  /** Replaces the text with the file's new content (an edit made outside); throws a PlantFileError when it is not valid, and then changes nothing. */
  reload(text: string): Plant {
    const plant = parsePlantOrThrow(text, this.fileName);
    this.currentText = text;
    this.currentPlant = plant;
    this.savedText = text;
    // The steps were made on a text that is gone: undoing one would throw away the outside edit.
    this.history.clear();
    return plant;
  }

  private show(text: string): PlantDocumentResult {
    // Every text in the history was a valid plant when it was made.
    this.currentPlant = parsePlantOrThrow(text, this.fileName);
    this.currentText = text;
    return { ok: true, plant: this.currentPlant, notes: [] };
  }
}
