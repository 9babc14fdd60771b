import { readFileSync } from 'node:fs';
import type { TwinlineSource } from '../../common/contract.ts';
import { PlantFileError } from '../../common/parse-plant.ts';
import type { Plant } from '../../common/plant-schema.ts';
import type { RunningHost } from '../twinline-host.ts';
import { contentHash } from './save-plant-file.ts';
import { watchPlantFile, type PlantFileChange, type PlantFileWatch } from './watch-plant-file.ts';

/** What became of a changed plant file: applied (the host now runs it), or refused with the reason (the host runs the plant it had). */
export type PlantReloadResult = { ok: true; plant: Plant } | { ok: false; reason: string };

/** How a host follows its plant file. */
export interface PlantFileFollowerOptions {
  /** The host running on the plant file as it was loaded. */
  host: RunningHost;
  /** Starts a host on the plant file as it is now (the same options as the first). */
  startHost: () => Promise<RunningHost>;
  /** Called once a new plant runs, before the previous host stops: rewire what depends on the host (views, reports). */
  onApplied: (host: RunningHost, previous: RunningHost) => void;
  /** Called when a changed file is refused; the previous plant keeps running. */
  onRefused: (reason: string) => void;
  /** Where the follower's own errors go, with their context. */
  logError: (line: string) => void;
  /** Watch the file for changes made outside (default on). */
  watch?: boolean;
  debounceMs?: number;
}

/**
 * Keeps a host running on the current version of its plant file: when the file changes (saved by
 * the editor, or by anyone else), a host is started on the new version and, once it runs, replaces
 * the old one, which then stops. Its recorder starts a new recording file that holds the new plant,
 * so every recording holds one version of the plant. A version that is not a valid plant, or whose
 * host cannot start, is refused and the old plant keeps running: live view and recording carry on.
 */
export class PlantFileFollower {
  private currentHost: RunningHost;
  private readonly options: PlantFileFollowerOptions;
  private readonly watch: PlantFileWatch | undefined;
  /** Reloads run one after another: the last change always wins, and two hosts never start together. */
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly changeListeners = new Set<(change: PlantFileChange) => void>();

  constructor(options: PlantFileFollowerOptions) {
    this.options = options;
    this.currentHost = options.host;
    if (options.watch === false) return;
    const file = options.host.plantFile;
    this.watch = watchPlantFile(file, {
      knownHash: contentHash(readFileSync(file)),
      debounceMs: options.debounceMs,
      onChange: (change) => {
        for (const listener of this.changeListeners) {
          try {
            listener(change);
          } catch (error) {
            options.logError(`A listener to the changed plant file failed: ${reasonOf(error)}`);
          }
        }
        void this.reload();
      },
      onError: (error) => options.logError(error.message),
    });
  }

  /** The host running the plant now. */
  get host(): RunningHost {
    return this.currentHost;
  }

  /** A source for one more view, from the host running the plant now. */
  createViewSource(): TwinlineSource {
    return this.currentHost.createViewSource();
  }

  /** Hears each change of the file made outside (not the saves acknowledged), before it is run; returns the unsubscribe function. */
  onFileChange(listener: (change: PlantFileChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Notes a save the editor made itself, which is applied through reload() rather than noticed as an outside change. */
  acknowledge(hash: string): void {
    this.watch?.acknowledge(hash);
  }

  /** Runs the plant file as it is now; resolves when the new host runs (or the change was refused). */
  reload(): Promise<PlantReloadResult> {
    // Never rejects: callers start it from a timer or a watch (`void`), where a rejection would end the host.
    const next = this.queue
      .then(() => this.replaceHost())
      .catch((error: unknown): PlantReloadResult => {
        const reason = `Applying the changed plant file failed: ${reasonOf(error)}`;
        this.options.logError(reason);
        return { ok: false, reason };
      });
    this.queue = next;
    return next;
  }

  /** Stops watching and the host running now. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watch?.stop();
    await this.queue;
    await this.currentHost.stop();
  }

  private async replaceHost(): Promise<PlantReloadResult> {
    if (this.stopped) return { ok: false, reason: 'The host is stopping' };
    let host: RunningHost;
    try {
      host = await this.options.startHost();
    } catch (error) {
      const reason = error instanceof PlantFileError ? error.message : `The changed plant cannot run: ${reasonOf(error)}`;
      this.options.onRefused(reason);
      return { ok: false, reason };
    }
    if (this.stopped) {
      await host.stop();
      return { ok: false, reason: 'The host is stopping' };
    }
    const previous = this.currentHost;
    this.currentHost = host;
    try {
      this.options.onApplied(host, previous);
    } catch (error) {
      this.options.logError(`Rewiring the views to the changed plant failed: ${reasonOf(error)}`);
    }
    try {
      await previous.stop();
    } catch (error) {
      // The new plant runs all the same; what the old host left open is the host's to report.
      this.options.logError(`Stopping the host of the previous plant failed: ${reasonOf(error)}`);
    }
    return { ok: true, plant: host.source.describePlant().plant };
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
