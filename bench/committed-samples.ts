import { listRecordings } from '../src-main/node/recording/recording-manager.ts';
import { RecordingReader } from '../src-main/node/recording/recording-reader.ts';

/** What the recordings in a folder hold of one stretch of a benchmark run, read back from disk. */
export interface CommittedSamples {
  /** Recorded samples whose value (the benchmark's publish time, on the shared clock) lies in the stretch. */
  samples: number;
  /** Recording files read. */
  files: number;
}

// Events are stamped with the host's wall clock on arrival, a little after their publish time; this
// much earlier than the stretch's start is read too, in case the wall clock was stepped back since.
const clockSlackMs = 1000;

/**
 * Counts the samples committed to the recordings in `directory` whose value — the publish time on the
 * shared clock, in the ingest benchmarks — lies in [`from`, `to`), reading the events the host stamped
 * from `wallFrom` (its wall clock) on: read as any reader of the files would read them now (committed
 * batches only), so a sample the host accepted but never got to disk is not counted.
 */
export function countCommittedSamples(directory: string, from: number, to: number, wallFrom: number): CommittedSamples {
  const files = listRecordings(directory);
  let samples = 0;
  for (const { file } of files) {
    // The file being written is skipped by quick_check, as the host does: it would take seconds.
    const reader = new RecordingReader(file, { verify: false });
    try {
      const range = reader.timeRange();
      if (range.end < wallFrom - clockSlackMs) continue;
      for (const event of reader.eventsBetween(Math.max(range.start, wallFrom - clockSlackMs), range.end)) {
        if (event.code >= 0 && event.value >= from && event.value < to) samples++;
      }
    } finally {
      reader.close();
    }
  }
  return { samples, files: files.length };
}
