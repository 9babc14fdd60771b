import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { PlantFileError } from '../../common/parse-plant.ts';
import { redactPlant } from '../../common/redact-secrets.ts';
import type { PlantEditorReply, PlantEditorRequest, PlantEditorState, PlantEditorView } from '../../common/plant-edit.ts';
import { maxPlantFileBytes } from '../load-plant-file.ts';
import type { PlantFileFollower } from './plant-file-follower.ts';
import { ModelUploads } from './model-uploads.ts';
import { PlantDocument } from './plant-document.ts';
import { contentHash, currentFileHash, PlantFileConflict, savePlantFile } from './save-plant-file.ts';
import type { PlantFileChange } from './watch-plant-file.ts';

/** Throws, saying why, unless the plant file and its folder can be written (a save writes a temporary file beside it and renames it). */
export function checkPlantFileWritable(file: string): void {
  for (const [path, what] of [
    [file, 'the plant file'],
    [dirname(file), 'the folder of the plant file'],
  ] as const) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      throw new Error(`--edit needs to write ${what} ${path}, and cannot (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
    }
  }
}

/**
 * The plant editor of a running host (`serve --edit`), shared by every view: one document of the
 * plant file with its undo history. Saving writes the file (see savePlantFile) and runs the saved
 * plant (see PlantFileFollower). A change of the file on disk made outside is loaded when there
 * are no unsaved edits; otherwise it is offered (changedOnDisk): revert to it, or save over it.
 */
export class PlantEditor {
  private document: PlantDocument;
  private loadedHash: string;
  private changedOnDisk = false;
  private version = 0;
  private readonly file: string;
  private readonly follower: PlantFileFollower;
  private readonly log: (line: string) => void;
  /** Requests run one after another: a save never interleaves with an action. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly stopListening: () => void;
  /** Model files views upload into the models folder. */
  readonly uploads: ModelUploads;

  constructor(options: { file: string; follower: PlantFileFollower; log: (line: string) => void }) {
    this.file = options.file;
    this.follower = options.follower;
    this.log = options.log;
    const text = readPlantText(this.file);
    this.document = new PlantDocument(text, basename(this.file));
    this.loadedHash = contentHash(text);
    this.stopListening = this.follower.onFileChange((change) => this.fileChanged(change));
    this.uploads = new ModelUploads({ modelsDirectory: () => this.modelsDirectory(), log: this.log });
  }

  /** The editor's state and the plant with the edits not yet saved. */
  view(): PlantEditorView {
    return { state: this.state(), plant: redactPlant(this.document.plant) };
  }

  /** Carries out a view's request; requests run one at a time. */
  request(request: PlantEditorRequest): Promise<PlantEditorReply> {
    const next = this.queue.then(() => this.handle(request));
    // The caller hears a failure through `next`; the queue only has to go on to the next request.
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The models folder of the plant being edited (its `modelsDirectory`, relative to the plant file): where new machines' models are found. */
  modelsDirectory(): string {
    return resolve(dirname(this.file), this.document.plant.modelsDirectory);
  }

  /** Stops hearing about changes of the file. */
  stop(): void {
    this.stopListening();
    this.uploads.stop();
  }

  private async handle(request: PlantEditorRequest): Promise<PlantEditorReply> {
    switch (request.action) {
      case 'apply':
        return this.reply(this.document.apply(request.edit));
      case 'undo':
        return this.reply(this.document.undo());
      case 'redo':
        return this.reply(this.document.redo());
      case 'revert':
        return this.revert();
      case 'save':
        return this.save(request.overwrite === true);
    }
  }

  private reply(result: { ok: true; notes: string[] } | { ok: false; reason: string }): PlantEditorReply {
    if (!result.ok) return { ok: false, reason: this.forView(result.reason), state: this.state() };
    this.version++;
    return { ok: true, state: this.state(), plant: redactPlant(this.document.plant), notes: result.notes };
  }

  private save(overwrite: boolean): PlantEditorReply {
    let hash: string;
    try {
      hash = savePlantFile(this.file, this.document.text, { expectedHash: overwrite ? currentFileHash(this.file) : this.loadedHash });
    } catch (error) {
      const conflict = error instanceof PlantFileConflict;
      if (conflict) {
        this.changedOnDisk = true;
        this.version++;
      }
      return { ok: false, reason: this.forView(error instanceof Error ? error.message : String(error)), state: this.state(), ...(conflict ? { conflict } : {}) };
    }
    this.follower.acknowledge(hash);
    this.loadedHash = hash;
    this.changedOnDisk = false;
    this.document.markSaved();
    this.version++;
    this.log(`The plant file ${this.file} was saved from the editor`);
    // Run once this reply is on its way: running the saved plant asks every view, this one too, to link again.
    const timer = setTimeout(() => void this.follower.reload(), 0);
    timer.unref();
    return { ok: true, state: this.state(), plant: redactPlant(this.document.plant), notes: [] };
  }

  private revert(): PlantEditorReply {
    try {
      const text = readPlantText(this.file);
      this.document.reload(text);
      this.loadedHash = contentHash(text);
    } catch (error) {
      return { ok: false, reason: this.forView(error instanceof Error ? error.message : String(error)), state: this.state() };
    }
    this.changedOnDisk = false;
    this.version++;
    return { ok: true, state: this.state(), plant: redactPlant(this.document.plant), notes: [] };
  }

  private fileChanged(change: PlantFileChange): void {
    if (change.hash === this.loadedHash) return;
    this.version++;
    if (this.document.state.unsaved) {
      this.changedOnDisk = true;
      return;
    }
    try {
      this.document.reload(change.text);
      this.loadedHash = change.hash;
      this.changedOnDisk = false;
    } catch (error) {
      // A broken file on disk is the host's to report (the follower refuses it); the editor keeps what it has and offers the file.
      if (!(error instanceof PlantFileError)) throw error;
      this.changedOnDisk = true;
    }
  }

  /** A message for views: the plant file by its name only, since views are not told where the host's files are. */
  private forView(message: string): string {
    return message.split(this.file).join(basename(this.file)).split(dirname(this.file)).join('.');
  }

  private state(): PlantEditorState {
    const { undo, redo, unsaved } = this.document.state;
    return { fileName: basename(this.file), ...(undo === undefined ? {} : { undo }), ...(redo === undefined ? {} : { redo }), unsaved, changedOnDisk: this.changedOnDisk, version: this.version };
  }
}

/** The plant file's text, bounded like every plant file read. */
function readPlantText(file: string): string {
  const size = statSync(file).size;
  if (size > maxPlantFileBytes) throw new Error(`${file} is ${size} bytes; a plant file may have at most ${maxPlantFileBytes}`);
  return readFileSync(file, 'utf8');
}
