import { alarmJournalHeader, alarmJournalRows } from '../recording/export-alarm-journal.ts';
import type { RecordingSequence } from '../recording/recording-sequence.ts';

/** Characters a journal export hands over at a time, as the sample export does. */
const journalChunkCharacters = 256 * 1024;

/**
 * The alarm journal of a range as a sequence of bounded chunks of CSV text (the same rows as
 * `twinline export --alarms`), read as they are pulled; returns the row count when done. A range
 * with more alarm events than a read may hold is refused by the history, plainly. The history is
 * its own (a fork), closed when the export ends or is abandoned.
 */
export function* alarmJournalChunks(history: RecordingSequence, from: number, to: number): Generator<string, number> {
  try {
    const rows = alarmJournalRows(history, from, to);
    let pending = `${alarmJournalHeader}\n`;
    for (let next = rows.next(); ; next = rows.next()) {
      if (next.done) {
        yield pending;
        return next.value;
      }
      pending += `${next.value}\n`;
      if (pending.length >= journalChunkCharacters) {
        yield pending;
        pending = '';
      }
    }
  } finally {
    history.close();
  }
}
