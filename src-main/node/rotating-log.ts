import { closeSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where a log goes and how much of it is kept. */
export interface RotatingLogOptions {
  /** The log file; older ones are kept beside it as FILE.1 (newest) … FILE.N. */
  file: string;
  /** A file is rotated before a line would take it past this size (default 5 MiB). */
  maxFileBytes?: number;
  /** How many rotated files are kept (default 3). */
  keepFiles?: number;
  /** Longer lines are cut, so one runaway message cannot fill the log (default 16,384 characters). */
  maxLineChars?: number;
  /** Time stamp of each line (default now). */
  clock?: () => Date;
  /** Told, once per spell of failures, that lines are being lost (default stderr). */
  reportFailure?: (message: string) => void;
}

/**
 * An append-only, size-capped log file with a few old files kept. Writes are synchronous so the
 * last line before a fatal exit is on disk, and a failed write is reported, never thrown: logging
 * must not be what stops a process. One process writes one log file.
 */
export class RotatingLog {
  /** The log file written to. */
  readonly file: string;
  private readonly maxFileBytes: number;
  private readonly keepFiles: number;
  private readonly maxLineChars: number;
  private readonly clock: () => Date;
  private readonly reportFailure: (message: string) => void;
  private descriptor: number | undefined;
  private size = 0;
  private failing = false;

  constructor(options: RotatingLogOptions) {
    this.file = options.file;
    this.maxFileBytes = Math.max(1024, options.maxFileBytes ?? 5 * 1024 * 1024);
    this.keepFiles = Math.max(0, Math.floor(options.keepFiles ?? 3));
    this.maxLineChars = Math.max(80, options.maxLineChars ?? 16_384);
    this.clock = options.clock ?? (() => new Date());
    this.reportFailure = options.reportFailure ?? ((message) => process.stderr.write(`${message}\n`));
  }

  /** Appends one time-stamped line (a bound function, so it can be handed around as a callback). */
  readonly write = (line: string): void => {
    const bytes = Buffer.from(`${this.clock().toISOString()} ${this.bounded(line)}\n`, 'utf8');
    try {
      if (this.descriptor === undefined) this.open('a');
      if (this.size > 0 && this.size + bytes.length > this.maxFileBytes) this.rotate();
      let written = 0;
      while (written < bytes.length) written += writeSync(this.descriptor!, bytes, written);
      this.size += bytes.length;
      this.failing = false;
    } catch (error) {
      // Reopened on the next line: the folder may come back, the disk may free up.
      this.closeFile();
      if (this.failing) return;
      this.failing = true;
      this.report(`Twinline cannot write its log ${this.file} (${error instanceof Error ? error.message : String(error)}); lines are lost until it can.`);
    }
  };

  /** Closes the file; a later write opens it again. */
  close(): void {
    this.closeFile();
  }

  /** One line, cut to size; line breaks indented and control characters replaced, so no text can pass for a line of its own. */
  private bounded(line: string): string {
    const cut = line.length > this.maxLineChars ? `${line.slice(0, this.maxLineChars)} … (${line.length - this.maxLineChars} more characters cut)` : line;
    return cut.replace(/\r\n?|\n/g, '\n    ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd');
  }

  private open(flags: 'a' | 'w'): void {
    mkdirSync(dirname(this.file), { recursive: true });
    this.descriptor = openSync(this.file, flags);
    this.size = fstatSync(this.descriptor).size;
  }

  /** FILE → FILE.1 → … → FILE.N; the oldest falls off. */
  private rotate(): void {
    this.closeFile();
    try {
      if (this.keepFiles > 0) {
        for (let index = this.keepFiles - 1; index >= 1; index--) renameIfPresent(`${this.file}.${index}`, `${this.file}.${index + 1}`);
        renameSync(this.file, `${this.file}.1`);
      }
    } catch (error) {
      // Old files cannot be moved (e.g. another program holds one open on Windows): start the log afresh
      // rather than let it grow past its cap.
      this.report(`Twinline cannot rotate its log ${this.file} (${error instanceof Error ? error.message : String(error)}); it starts again empty.`);
    }
    this.open('w');
  }

  private closeFile(): void {
    if (this.descriptor === undefined) return;
    const descriptor = this.descriptor;
    this.descriptor = undefined;
    try {
      closeSync(descriptor);
    } catch (error) {
      this.report(`Twinline could not close its log ${this.file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private report(message: string): void {
    try {
      this.reportFailure(message);
    } catch {
      // The reporter is the last resort; if it fails too there is nowhere left to say so.
    }
  }
}

function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    // A gap in the numbering (fewer old files than kept so far) is normal.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
