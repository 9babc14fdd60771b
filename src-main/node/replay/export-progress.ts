/** One answer of an export's start or next chunk. */
export interface ExportChunk {
  chunk: string | null;
  rows: number;
}

/** Where an export stood when its worker went: how to start it again, and what the view had of it. */
export interface ExportResumePoint {
  method: 'exportStart' | 'journalStart';
  params: unknown;
  /** Characters the view had been handed. */
  delivered: number;
  /** The last of them, to check that the export read again says the same. */
  tail: string;
}

/** Characters of the text handed over that a resumed export is checked against. */
const tailCharacters = 256;

/**
 * What a view has been handed of the export in progress in its replay worker: enough for a new worker
 * (after replay moved) to read the export again and hand on only the rest.
 */
export class ExportProgress {
  private current: ExportResumePoint | undefined;

  /** An export starts (its first chunk is asked for). */
  started(method: ExportResumePoint['method'], params: unknown): void {
    this.current = { method, params, delivered: 0, tail: '' };
  }

  /** A chunk of it was handed to the view; none: the export is done. */
  handed(chunk: string | null): void {
    if (!this.current) return;
    if (chunk === null) {
      this.current = undefined;
      return;
    }
    this.current.delivered += chunk.length;
    this.current.tail = (this.current.tail + chunk.slice(-tailCharacters)).slice(-tailCharacters);
  }

  /** It ended otherwise (cancelled, or failed). */
  ended(): void {
    this.current = undefined;
  }

  /** Where it stands, if it is in progress. */
  point(): ExportResumePoint | undefined {
    return this.current && { ...this.current };
  }
}

/**
 * Reads an export again from its start and drops what the view already had, checking that the text
 * read again ends that part as the first reading did. Returns the first chunk the view has not had;
 * throws (after cancelling it) when the text differs.
 */
export async function resumeExport(point: ExportResumePoint, request: (method: ExportResumePoint['method'] | 'exportNext' | 'exportCancel') => Promise<ExportChunk | null>, reason: string): Promise<ExportChunk> {
  let result = (await request(point.method))!;
  let skip = point.delivered;
  let skippedTail = '';
  while (skip > 0 && result.chunk !== null) {
    const take = Math.min(skip, result.chunk.length);
    skippedTail = (skippedTail + result.chunk.slice(Math.max(0, take - tailCharacters), take)).slice(-tailCharacters);
    skip -= take;
    if (take < result.chunk.length) {
      // The rest of this chunk is what the view has not had.
      result = { chunk: result.chunk.slice(take), rows: result.rows };
      break;
    }
    if (skip === 0 && skippedTail !== point.tail) break;
    result = (await request('exportNext'))!;
  }
  if (skip > 0 || skippedTail !== point.tail) {
    if (result.chunk !== null) await request('exportCancel').catch((error: unknown) => console.error(`Twinline: cancelling an export that read differently failed: ${error instanceof Error ? error.message : String(error)}`));
    throw new Error(`the export was cut short: ${reason}, and the recording read differently there; start it again`);
  }
  return result;
}
