import { listRecordings } from '../src-main/node/recording/recording-manager.ts';
import { RecordingReader } from '../src-main/node/recording/recording-reader.ts';

/** What the recordings in a folder hold of one stretch of a benchmark run, read back from disk. */
export interface CommittedSamples {
  /** Recorded samples whose value (the benchmark's publish time) lies in the stretch. */
  samples: number;
  /** Recording files read. */
  files: number;
}

// Events are stamped with the host's clock on arrival, a little after their publish time; this much
// earlier than the stretch is read too, in case the clocks of publisher and host disagree slightly.
const clockSlackMs = 1000;

/**
 * Counts the samples committed to the recordings in `directory` whose value — the publish time, in
 * the ingest benchmarks — lies in [`from`, `to`): read as any reader of the files would read them now
 * (committed batches only), so a sample the host accepted but never got to disk is not counted.
 */
export function countCommittedSamples(directory: string, from: number, to: number): CommittedSamples {
  const files = listRecordings(directory);
  let samples = 0;
  for (const { file } of files) {
    // The file being written is skipped by quick_check, as the host does: it would take seconds.
    const reader = new RecordingReader(file, { verify: false });
    try {
      const range = reader.timeRange();
      if (range.end < from - clockSlackMs) continue;
      for (const event of reader.eventsBetween(Math.max(range.start, from - clockSlackMs), range.end)) {
        if (event.code >= 0 && event.value >= from && event.value < to) samples++;
      }
    } finally {
      reader.close();
    }
  }
  return { samples, files: files.length };
}
