import { basename } from 'node:path';
import type { RecordingEntry } from '../../common/contract.ts';
import { listRecordings } from '../recording/recording-manager.ts';
import { recordedPlantText } from '../recording/recording-sequence.ts';

/** The recordings of a folder a view may choose from: those of the plant it shows, and the one being written. */
export class RecordingCatalog {
  private readonly directory: string | undefined;
  private readonly plantText: string | undefined;
  private readonly plantOfFile = new Map<string, boolean>();

  /** `plantText` picks this plant's recordings out of a folder that may hold other plants' too. */
  constructor(directory: string | undefined, plantText: string | undefined) {
    this.directory = directory;
    this.plantText = plantText;
  }

  /** The recordings, oldest first; `current` is the file being written (or opened), listed whatever it records. */
  entries(current: string | undefined): RecordingEntry[] {
    if (!this.directory) return current ? [{ name: basename(current), bytes: 0, current: true }] : [];
    return listRecordings(this.directory)
      .filter((entry) => entry.file === current || this.recordsThisPlant(entry.file))
      .map((entry) => ({ name: basename(entry.file), bytes: entry.bytes, current: entry.file === current, ...(entry.problem === undefined ? {} : { problem: entry.problem }) }));
  }

  /**
   * Whether a recording is of the plant this view shows; remembered, as a finished file never changes.
   * A file that cannot be read stays on the list, so that choosing it says what is wrong with it.
   */
  private recordsThisPlant(file: string): boolean {
    if (this.plantText === undefined) return true;
    let matches = this.plantOfFile.get(file);
    if (matches === undefined) {
      const text = recordedPlantText(file);
      matches = text === undefined || text === this.plantText;
      this.plantOfFile.set(file, matches);
    }
    return matches;
  }
}
