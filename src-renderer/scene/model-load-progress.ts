/** How far loading the plant's model files has come: files and bytes. */
export interface ModelLoadProgress {
  /** Model files asked for so far. */
  models: number;
  /** Of those, loaded and ready to draw. */
  loaded: number;
  /** Of those, failed (each machine using one reports why and shows its placeholder). */
  failed: number;
  /** Bytes received of the model files. */
  bytesLoaded: number;
  /** Bytes of the model files whose length is known (a server that sends none adds its bytes once they are in). */
  bytesTotal: number;
}

interface FileProgress {
  loaded: number;
  total: number;
  state: 'loading' | 'loaded' | 'failed';
}

/**
 * Counts model files and their bytes as they load. Updated on every progress event of every file; read by
 * the overlay a few times a second, so a download of many chunks costs no React work per chunk.
 */
export class ModelLoadTracker {
  private readonly files = new Map<string, FileProgress>();
  private version = 0;

  /** A file starts loading. */
  started(url: string): void {
    this.files.set(url, { loaded: 0, total: 0, state: 'loading' });
    this.version++;
  }

  /** Bytes of a file have arrived; `total` is 0 when its length is not known. */
  progressed(url: string, loaded: number, total: number): void {
    const file = this.files.get(url);
    if (!file) return;
    file.loaded = loaded;
    file.total = Math.max(total, loaded);
    this.version++;
  }

  /** A file is loaded (its parts parsed) or failed. */
  finished(url: string, failed: boolean): void {
    const file = this.files.get(url);
    if (!file) return;
    file.state = failed ? 'failed' : 'loaded';
    if (!failed) file.total = Math.max(file.total, file.loaded);
    this.version++;
  }

  /** A number that changes whenever the progress does. */
  changes(): number {
    return this.version;
  }

  /** The progress over every file asked for. */
  progress(): ModelLoadProgress {
    const result: ModelLoadProgress = { models: 0, loaded: 0, failed: 0, bytesLoaded: 0, bytesTotal: 0 };
    for (const file of this.files.values()) {
      result.models++;
      if (file.state === 'loaded') result.loaded++;
      if (file.state === 'failed') result.failed++;
      result.bytesLoaded += file.loaded;
      result.bytesTotal += file.total;
    }
    return result;
  }
}

/** The view's one tracker: every model the scene loads is counted here. */
export const modelLoadTracker = new ModelLoadTracker();
