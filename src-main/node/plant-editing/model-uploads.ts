import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { maxModelCompanionFiles, maxModelUploadBytes, sanitiseModelFileName, uploadBytes, type ModelUploadReply, type ModelUploadRequest } from '../../common/model-upload.ts';
import { companionNameProblem, gltfBundleProblem, type CompanionFile } from './gltf-bundle-problem.ts';
import { modelBytesProblem } from './model-bytes-problem.ts';
import { packGltfAsGlb } from './pack-gltf.ts';

/** Uploads under way at once, over every view: together at most this many times the largest upload in memory. */
export const maxOpenUploads = 2;
/** An upload that receives nothing for this long is dropped, so an abandoned one frees its memory. */
export const uploadIdleMs = 60_000;
/** Longest an upload may take from begin to finish: a view trickling a chunk a minute cannot hold a place (and its memory) for hours. */
export const maxUploadMs = 15 * 60_000;

interface OpenUpload {
  name: string;
  /** The model file's own bytes come first in `bytes`; then those of the files beside a .gltf, in this order. */
  size: number;
  companions: Array<{ name: string; size: number }>;
  bytes: Buffer;
  received: number;
  startedAt: number;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Model files uploaded by views into the plant's models folder (`serve --edit`, a GLB or glTF dropped
 * on a view): each is received in order, in bounded chunks, into memory of the size announced; it is
 * checked to be the glTF its name says, and written under its sanitised name beside the others, never
 * over an existing file (a free name "press-2.glb" is taken instead). A .gltf with separate buffers and
 * images comes with exactly those files and is packed with them into one .glb ("press.gltf" → "press.glb").
 * Views learn only the file's name.
 */
export class ModelUploads {
  private readonly uploads = new Map<string, OpenUpload>();
  private readonly modelsDirectory: () => string;
  private readonly log: (line: string) => void;
  private readonly clock: () => number;

  constructor(options: { modelsDirectory: () => string; log: (line: string) => void; clock?: () => number }) {
    this.modelsDirectory = options.modelsDirectory;
    this.log = options.log;
    this.clock = options.clock ?? Date.now;
  }

  /** Carries out one step; throws, saying why, when it is refused (the upload is then dropped). */
  handle(request: ModelUploadRequest): ModelUploadReply {
    switch (request.step) {
      case 'begin':
        return this.begin(request.name, request.size, request.files ?? []);
      case 'chunk':
        return this.chunk(request.uploadId, request.offset, request.data);
      case 'finish':
        return this.finish(request.uploadId);
      case 'cancel':
        this.drop(request.uploadId);
        return { cancelled: true };
    }
  }

  /** Drops every upload under way. */
  stop(): void {
    for (const id of [...this.uploads.keys()]) this.drop(id);
  }

  /** Drops these uploads (a view's, when it goes), so their places and memory are free at once. */
  cancel(ids: Iterable<string>): void {
    for (const id of ids) this.drop(id);
  }

  private begin(name: string, size: number, companions: Array<{ name: string; size: number }>): ModelUploadReply {
    const safe = sanitiseModelFileName(name);
    if (safe === undefined) throw new Error(`${name.slice(0, 80)} is not a model file: upload a .glb or .gltf file`);
    this.checkCompanions(safe, companions);
    const total = uploadBytes({ size, files: companions });
    if (total > maxModelUploadBytes) throw new Error(`${safe} and the files with it have ${total} bytes; an upload may have at most ${maxModelUploadBytes}`);
    if (this.uploads.size >= maxOpenUploads) throw new Error(`${maxOpenUploads} model files are being uploaded already; try again when they are done`);
    const id = randomBytes(8).toString('hex');
    this.uploads.set(id, { name: safe, size, companions, bytes: Buffer.alloc(total), received: 0, startedAt: this.clock(), timer: this.idleTimer(id) });
    return { uploadId: id };
  }

  private chunk(id: string, offset: number, data: string): ModelUploadReply {
    const upload = this.open(id);
    if (this.clock() - upload.startedAt > maxUploadMs) return this.refuse(id, `it took longer than ${maxUploadMs / 60_000} minutes`);
    const bytes = Buffer.from(data, 'base64');
    if (offset !== upload.received) return this.refuse(id, `a chunk at byte ${offset} came where byte ${upload.received} was expected`);
    if (upload.received + bytes.length > upload.bytes.length) return this.refuse(id, `it is longer than the ${upload.bytes.length} bytes announced`);
    bytes.copy(upload.bytes, upload.received);
    upload.received += bytes.length;
    clearTimeout(upload.timer);
    upload.timer = this.idleTimer(id);
    return { received: upload.received };
  }

  private finish(id: string): ModelUploadReply {
    const upload = this.open(id);
    if (upload.received !== upload.bytes.length) return this.refuse(id, `${upload.received} of the ${upload.bytes.length} bytes announced arrived`);
    const model = upload.bytes.subarray(0, upload.size);
    const problem = modelBytesProblem(upload.name, model) ?? (upload.name.endsWith('.gltf') ? gltfBundleProblem(upload.name, model, this.companionFiles(upload)) : undefined);
    if (problem !== undefined) return this.refuse(id, `${upload.name} is not a usable model: ${problem}`);
    // A .gltf with its files is packed into one .glb: one file in the models folder, which the plant can name.
    let written: { name: string; bytes: Buffer } = { name: upload.name, bytes: model };
    if (upload.companions.length > 0) {
      try {
        written = { name: `${upload.name.slice(0, -'.gltf'.length)}.glb`, bytes: packGltfAsGlb(model.toString('utf8'), this.companionFiles(upload)) };
      } catch (error) {
        return this.refuse(id, `${upload.name} could not be packed into one .glb: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.drop(id);
    const folder = this.modelsDirectory();
    try {
      return this.write(folder, id, written);
    } catch (error) {
      // The view is told why, but not where the host keeps its models: the system's messages name whole paths.
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${upload.name} could not be written: ${message.split(folder).join('the models folder')}`, { cause: error });
    }
  }

  /** Writes the checked bytes under a free name in the models folder, never over a file there. */
  private write(folder: string, id: string, upload: { name: string; bytes: Buffer }): ModelUploadReply {
    mkdirSync(folder, { recursive: true });
    // Written whole under a temporary name, then linked to a free name: a link never replaces a file.
    const temporary = join(folder, `.upload-${id}.tmp`);
    try {
      // Inside the try, so a write cut short (a full disk) leaves no temporary file behind.
      writeFileSync(temporary, upload.bytes, { flag: 'wx' });
      // Compared without case: on Windows and macOS "Press.glb" is "press.glb", and the plant may move there.
      const taken = new Set(readdirSync(folder).map((name) => name.toLowerCase()));
      const dot = upload.name.lastIndexOf('.');
      for (let number = 1; number <= 1000; number++) {
        const file = number === 1 ? upload.name : `${upload.name.slice(0, dot)}-${number}${upload.name.slice(dot)}`;
        if (taken.has(file.toLowerCase()) || existsSync(join(folder, file))) continue;
        try {
          linkSync(temporary, join(folder, file));
        } catch (error) {
          // Taken meanwhile by someone else: the next number.
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
          throw error;
        }
        this.log(`The model file ${file} (${upload.bytes.length} bytes) was uploaded into the models folder from a view`);
        return { file };
      }
      throw new Error(`no free name like ${upload.name} is left in the models folder`);
    } finally {
      rmSync(temporary, { force: true });
    }
  }

  /** Refuses files beside anything but a .gltf, too many of them, unsafe names, and names that are one file where Windows or macOS would see it. */
  private checkCompanions(name: string, companions: Array<{ name: string; size: number }>): void {
    if (companions.length === 0) return;
    if (!name.endsWith('.gltf')) throw new Error(`only a .gltf brings files with it; upload ${name} alone`);
    if (companions.length > maxModelCompanionFiles) throw new Error(`a .gltf may bring at most ${maxModelCompanionFiles} files with it`);
    const seen = new Set<string>();
    for (const companion of companions) {
      const problem = companionNameProblem(companion.name);
      if (problem !== undefined) throw new Error(`${companion.name.slice(0, 80)} cannot be uploaded with ${name}: ${problem}`);
      const key = companion.name.toLowerCase();
      if (seen.has(key) || key === name.toLowerCase()) throw new Error(`${companion.name.slice(0, 80)} is uploaded twice with ${name} (names that differ only in case are one file on Windows and macOS)`);
      seen.add(key);
    }
  }

  /** The files beside the .gltf, each a view of its part of the upload's bytes. */
  private companionFiles(upload: OpenUpload): CompanionFile[] {
    let offset = upload.size;
    return upload.companions.map(({ name, size }) => {
      const file = { name, bytes: upload.bytes.subarray(offset, offset + size) };
      offset += size;
      return file;
    });
  }

  private open(id: string): OpenUpload {
    const upload = this.uploads.get(id);
    if (!upload) throw new Error('no such upload (it was finished, cancelled, or dropped after a minute without data)');
    return upload;
  }

  private refuse(id: string, reason: string): never {
    this.drop(id);
    throw new Error(`The upload was refused: ${reason}`);
  }

  private drop(id: string): void {
    const upload = this.uploads.get(id);
    if (!upload) return;
    clearTimeout(upload.timer);
    this.uploads.delete(id);
  }

  private idleTimer(id: string): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      try {
        this.log(`An upload of ${this.uploads.get(id)?.name ?? 'a model file'} was dropped: nothing arrived for ${uploadIdleMs / 1000} s`);
        this.drop(id);
      } catch (error) {
        this.log(`Dropping an idle upload failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }, uploadIdleMs);
    timer.unref();
    return timer;
  }
}
