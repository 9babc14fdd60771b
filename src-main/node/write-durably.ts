import * as fs from 'node:fs';

/** The file operations a durable write needs: node:fs, or a stand-in that fails on purpose in tests. */
export type DurableWriteFileSystem = Pick<typeof fs, 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync'>;

/**
 * Writes bytes to a new file (never an existing one) and flushes them to disk before it returns, so a
 * rename of the file over another afterwards never leaves a half-written file in its place.
 */
export function writeDurably(file: string, bytes: Uint8Array, fileSystem: DurableWriteFileSystem = fs): void {
  const descriptor = fileSystem.openSync(file, 'wx', 0o644);
  try {
    let written = 0;
    while (written < bytes.length) written += fileSystem.writeSync(descriptor, bytes, written, bytes.length - written);
    fileSystem.fsyncSync(descriptor);
  } finally {
    fileSystem.closeSync(descriptor);
  }
}
