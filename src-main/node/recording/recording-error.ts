/** A recording that cannot be opened or read, with the file and the reason. */
export class RecordingError extends Error {
  constructor(file: string, problem: string) {
    super(`Cannot open the recording ${file}: ${problem}`);
    this.name = 'RecordingError';
  }
}

/** The message of whatever was thrown, for a RecordingError's reason. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
