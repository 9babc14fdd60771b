import { maxExportRows } from '../../common/contract.ts';
import { csvBatches } from '../recording/export-csv.ts';
import type { RecordingSequence } from '../recording/recording-sequence.ts';

/** Characters an export hands over at a time, so its text never sits whole in memory. */
const exportChunkCharacters = 256 * 1024;

/**
 * An export as a sequence of bounded chunks of CSV text, read as they are pulled; returns the row
 * count when done. The history is its own (a fork), closed when the export ends or is abandoned.
 */
export function* csvChunks(history: RecordingSequence, signals: readonly string[], from: number, to: number): Generator<string, number> {
  const pending: string[] = [];
  let pendingCharacters = 0;
  let rowsBefore = 0;
  try {
    const batches = csvBatches(history, signals, from, to);
    for (let next = batches.next(); ; next = batches.next()) {
      if (next.done) {
        if (pending.length > 0) yield pending.join('');
        return next.value;
      }
      pending.push(next.value);
      pendingCharacters += next.value.length;
      // A view gathers the whole text; beyond this many rows it belongs in `twinline export`, which writes to a file.
      rowsBefore += countLines(next.value);
      if (rowsBefore > maxExportRows + 1) throw new Error(`more than ${maxExportRows.toLocaleString('en')} rows: narrow the range, or use twinline export`);
      if (pendingCharacters >= exportChunkCharacters) {
        yield pending.join('');
        pending.length = 0;
        pendingCharacters = 0;
      }
    }
  } finally {
    history.close();
  }
}

/** Lines in a batch of CSV text: its rows, close enough for a cap (a unit holding a line break counts twice). */
function countLines(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}
