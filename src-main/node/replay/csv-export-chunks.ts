import { maxExportRows } from '../../common/contract.ts';
import { exportCsv } from '../recording/export-csv.ts';
import type { RecordingSequence } from '../recording/recording-sequence.ts';

/** Characters an export hands over at a time, so its text never sits whole in memory. */
const exportChunkCharacters = 256 * 1024;

/** An export as a sequence of bounded chunks of CSV text; returns the row count when done. */
export function* csvChunks(history: RecordingSequence, signals: readonly string[], from: number, to: number): Generator<string, number> {
  const pending: string[] = [];
  let pendingCharacters = 0;
  let rows = 0;
  try {
    // exportCsv writes in small batches; they are gathered into chunks of a bounded size and handed out one by one.
    const batches = exportBatches(history, signals, from, to, (count) => (rows = count));
    for (const batch of batches) {
      pending.push(batch);
      pendingCharacters += batch.length;
      if (pendingCharacters >= exportChunkCharacters) {
        yield pending.join('');
        pending.length = 0;
        pendingCharacters = 0;
      }
    }
    if (pending.length > 0) yield pending.join('');
    return rows;
  } finally {
    history.close();
  }
}

/**
 * exportCsv's batches, pulled one slice of time at a time. exportCsv pushes to a callback and runs to
 * its end in one call, so the range is cut into slices sized to hold about `sliceCharacters` of text
 * each: the next slice's length follows from the last one's rate, so a busy stretch gets short slices.
 */
function* exportBatches(history: RecordingSequence, signals: readonly string[], from: number, to: number, onRows: (rows: number) => void): Generator<string> {
  const sliceCharacters = 1024 * 1024;
  let sliceMs = 1000;
  let rows = 0;
  let first = true;
  for (let start = from; start <= to; ) {
    const end = Math.min(to, start + sliceMs - 1);
    const batches: string[] = [];
    let characters = 0;
    rows += exportCsv(history, signals, start, end, (batch) => {
      batches.push(batch);
      characters += batch.length;
    });
    if (rows > maxExportRows) throw new Error(`more than ${maxExportRows.toLocaleString('en')} rows: narrow the range, or use twinline export`);
    // Every slice writes the header; only the first one's is kept.
    if (!first && batches.length > 0) batches[0] = batches[0]!.slice(batches[0]!.indexOf('\r\n') + 2);
    first = false;
    yield* batches;
    onRows(rows);
    start = end + 1;
    const scale = characters === 0 ? 8 : Math.min(8, Math.max(0.125, sliceCharacters / characters));
    sliceMs = Math.max(1, Math.min(3_600_000, Math.round(sliceMs * scale)));
  }
}
