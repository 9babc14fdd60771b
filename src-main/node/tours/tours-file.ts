import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { checkToursDocument, parseToursText, renderToursText } from '../../common/tours/parse-tours.ts';
import { emptyToursDocument, maxToursFileBytes, type ToursDocument, type ToursView } from '../../common/tours/tours-schema.ts';
import { writeDurably } from '../write-durably.ts';

/** Where a plant's tours are kept: `plant.yaml` → `plant.tours.yaml`, beside it. */
export function toursFileFor(plantOrRecordingFile: string): string {
  const name = basename(plantOrRecordingFile).replace(/\.(ya?ml|twinline)$/i, '');
  return join(dirname(plantOrRecordingFile), `${name}.tours.yaml`);
}

/** Reads a tours file, bounded in size; a missing file is an empty document. Throws with the reason for anything else. */
export function readToursFile(file: string): ToursDocument {
  let descriptor: number;
  try {
    // Without blocking: a pipe put where the file belongs would otherwise hold the host's loop until someone writes to it.
    descriptor = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyToursDocument();
    throw error;
  }
  try {
    const stats = fs.fstatSync(descriptor);
    if (!stats.isFile()) throw new Error(`${basename(file)} is not a file (a folder or a device stands where the tours belong)`);
    const size = stats.size;
    if (size > maxToursFileBytes) throw new Error(`${basename(file)} is larger than ${maxToursFileBytes} bytes`);
    // Read no more than the bound even if the file grows meanwhile.
    const buffer = Buffer.alloc(Math.min(size, maxToursFileBytes) + 1);
    const read = fs.readSync(descriptor, buffer, 0, buffer.length, 0);
    if (read > maxToursFileBytes) throw new Error(`${basename(file)} is larger than ${maxToursFileBytes} bytes`);
    return parseToursText(buffer.subarray(0, read).toString('utf8'), basename(file));
  } finally {
    fs.closeSync(descriptor);
  }
}

/** Writes a tours file atomically: a temporary file in the same folder, flushed, then renamed over the file. */
export function writeToursFile(file: string, document: ToursDocument): void {
  const bytes = Buffer.from(renderToursText(document), 'utf8');
  if (bytes.length > maxToursFileBytes) throw new Error(`the tours would take ${bytes.length} bytes; a tours file may have at most ${maxToursFileBytes}`);
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeDurably(temporary, bytes);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new Error(`cannot save ${basename(file)}: ${error instanceof Error ? error.message : String(error)}; it is unchanged`, { cause: error });
  }
}

/**
 * The tours of one plant (or one opened recording), shared by every view: read from the file at
 * each request (so an edit by hand shows at once) and saved whole. Read-only when asked to be.
 */
export class ToursStore {
  readonly file: string;
  readonly writable: boolean;
  constructor(options: { file: string; writable: boolean }) {
    this.file = options.file;
    this.writable = options.writable;
  }

  /** The tours as a view sees them; a file that cannot be read is reported, not thrown. */
  view(): ToursView {
    try {
      return { document: readToursFile(this.file), fileName: basename(this.file), writable: this.writable, problem: null };
    } catch (error) {
      return { document: emptyToursDocument(), fileName: basename(this.file), writable: this.writable, problem: this.forView(error) };
    }
  }

  /** Validates and saves a view's tours, then answers with what the file now holds. */
  save(document: unknown): ToursView {
    if (!this.writable) throw new Error('these tours are read-only here');
    try {
      writeToursFile(this.file, checkToursDocument(document, 'the tours sent'));
    } catch (error) {
      throw new Error(this.forView(error), { cause: error });
    }
    return this.view();
  }

  /** A failure as a view may read it: the system's messages name whole paths, and views are not told where the host's files are. */
  private forView(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    return message.split(dirname(this.file)).join('.');
  }
}
