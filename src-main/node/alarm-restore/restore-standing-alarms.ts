import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RestorePlan } from '../../common/alarms/match-restored-alarms.ts';
import type { Plant } from '../../common/plant-schema.ts';
import type { AlarmService } from '../alarm-service.ts';
import { listRecordings } from '../recording/recording-manager.ts';
import { workerExecArgv, workerScript } from '../worker-script.ts';

/** What the last recording of the plant left to put back, matched with the running plant, or why nothing is restored. */
export type RestoreReadResult = { file: string; plan: RestorePlan } | { file?: string; nothing: string };

/** Newest recordings of the folder looked at for the plant's last one: a folder shared with other plants still ends the search soon. */
const maxFilesLooked = 8;

/** How the read of the last recording's alarms is bounded. */
export interface ReadStandingAlarmsOptions {
  /** The recordings folder. */
  directory: string;
  /** The running plant: its recordings are the ones read (by name), and what they left is matched with it. */
  plant: Plant;
  /** The moment whose alarms are read: the recording's last rows up to it (rows stamped later are not believed). */
  now?: number;
  /** Longest the read may take before the host starts with every alarm normal (default 10 s). */
  timeoutMs?: number;
  /** Heap the reading worker may use (default 256 MiB). */
  memoryLimitMb?: number;
  log?: (line: string) => void;
}

/**
 * Reads, in a worker thread, the alarms the plant's last recording in `directory` left standing, and
 * matches them with the running plant there (see `matchRestoredAlarms`). The folder is listed at once,
 * so call it before this run's recorder makes its own file. Never rejects: a damaged file, a read past
 * its time or memory, or a crash of the worker resolves with why nothing is restored.
 */
export function readStandingAlarms(options: ReadStandingAlarmsOptions): Promise<RestoreReadResult> {
  const files = listRecordings(options.directory)
    .filter((entry) => entry.problem === undefined)
    .map((entry) => entry.file)
    .slice(-maxFilesLooked)
    .reverse();
  if (files.length === 0) return Promise.resolve({ nothing: 'no earlier recording in the folder' });
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: RestoreReadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // The answer is in (or late): the worker has nothing more to do.
      worker.terminate().catch((error: unknown) => options.log?.(`Twinline: stopping the worker that read the last recording's alarms failed: ${error instanceof Error ? error.message : String(error)}`));
      resolve(result);
    };
    let worker: Worker;
    try {
      worker = new Worker(workerScript(import.meta.url, 'standing-alarms-worker'), {
        workerData: { files, plant: options.plant, now: options.now ?? Date.now() },
        execArgv: workerExecArgv,
        resourceLimits: { maxOldGenerationSizeMb: options.memoryLimitMb ?? 256 },
      });
    } catch (error) {
      resolve({ file: files[0], nothing: `the reading worker could not start: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    const timer = setTimeout(() => settle({ file: files[0], nothing: `reading its alarms took longer than ${timeoutMs / 1000} s, so it was stopped` }), timeoutMs);
    worker.once('message', (result: RestoreReadResult) => settle(result));
    worker.once('error', (error) => settle({ file: files[0], nothing: `reading its alarms failed: ${error.message}` }));
    worker.once('exit', (code) => settle({ file: files[0], nothing: `the reading worker stopped (exit code ${code})` }));
  });
}

/**
 * Puts the alarms the last recording left standing back into the live alarm service at `now`, those of
 * machines and limits still in the plant unchanged, then lets it evaluate the live frames that waited
 * for them; logs what was restored, what was dropped and why, or why nothing was. Returns how many were restored.
 */
export function restoreStandingAlarms(service: AlarmService, result: RestoreReadResult, now: number, log: (line: string) => void): number {
  if ('nothing' in result) {
    // Without an earlier recording of the plant there is nothing to say: every first start is like that.
    if (result.file !== undefined) log(`Alarms start normal (last recording ${basename(result.file)}): ${result.nothing}`);
    service.release(now);
    return 0;
  }
  const { plan } = result;
  let restored: number;
  try {
    restored = service.restore(plan, now);
  } catch (error) {
    // A fault here must not stop the host from starting: its supervisor would restart it into the same fault.
    log(`Alarms start normal: restoring them from ${basename(result.file)} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    service.release(now);
    return 0;
  }
  const dropped = plan.dropped.length + (plan.droppedUnnamed ?? 0);
  log(`Restored ${restored} alarm state${restored === 1 ? '' : 's'} from ${basename(result.file)}${dropped > 0 ? `; ${dropped} dropped (no longer in the plant or changed)` : ''}`);
  return restored;
}
