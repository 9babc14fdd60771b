import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import { matchRestoredAlarms } from '../../common/alarms/match-restored-alarms.ts';
import type { Plant } from '../../common/plant-schema.ts';
import type { AlarmService } from '../alarm-service.ts';
import { listRecordings } from '../recording/recording-manager.ts';
import { workerExecArgv, workerScript } from '../worker-script.ts';
import type { StandingAlarmsResult } from './standing-alarms.ts';

/** Newest recordings of the folder looked at for the plant's last one: a folder shared with other plants still ends the search soon. */
const maxFilesLooked = 8;

/** How the read of the last recording's alarms is bounded. */
export interface ReadStandingAlarmsOptions {
  /** The recordings folder. */
  directory: string;
  plantName: string;
  /** The moment whose alarms are read: the recording's last rows up to it (rows stamped later are not believed). */
  now?: number;
  /** Longest the read may take before the host starts with every alarm normal (default 10 s). */
  timeoutMs?: number;
  /** Heap the reading worker may use (default 256 MiB). */
  memoryLimitMb?: number;
  log?: (line: string) => void;
}

/**
 * Reads, in a worker thread, the alarms the plant's last recording in `directory` left standing. The
 * folder is listed at once, so call it before this run's recorder makes its own file. Never rejects:
 * a damaged file, a read past its time or memory, or a crash of the worker resolves with why nothing is restored.
 */
export function readStandingAlarms(options: ReadStandingAlarmsOptions): Promise<StandingAlarmsResult> {
  const files = listRecordings(options.directory)
    .filter((entry) => entry.problem === undefined)
    .map((entry) => entry.file)
    .slice(-maxFilesLooked)
    .reverse();
  if (files.length === 0) return Promise.resolve({ nothing: 'no earlier recording in the folder' });
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: StandingAlarmsResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // The answer is in (or late): the worker has nothing more to do.
      worker.terminate().catch((error: unknown) => options.log?.(`Twinline: stopping the worker that read the last recording's alarms failed: ${error instanceof Error ? error.message : String(error)}`));
      resolve(result);
    };
    const worker = new Worker(workerScript(import.meta.url, 'standing-alarms-worker'), {
      workerData: { files, plantName: options.plantName, now: options.now ?? Date.now() },
      execArgv: workerExecArgv,
      resourceLimits: { maxOldGenerationSizeMb: options.memoryLimitMb ?? 256 },
    });
    const timer = setTimeout(() => settle({ file: files[0], nothing: `reading its alarms took longer than ${timeoutMs / 1000} s, so it was stopped` }), timeoutMs);
    worker.once('message', (result: StandingAlarmsResult) => settle(result));
    worker.once('error', (error) => settle({ file: files[0], nothing: `reading its alarms failed: ${error.message}` }));
    worker.once('exit', (code) => settle({ file: files[0], nothing: `the reading worker stopped (exit code ${code})` }));
  });
}

/**
 * Puts the alarms the last recording left standing back into the live alarm service at `now`, those of
 * machines and limits still in the plant unchanged, then lets it evaluate the live frames that waited
 * for them; logs what was restored, what was dropped and why, or why nothing was. Returns how many were restored.
 */
export function restoreStandingAlarms(service: AlarmService, plant: Plant, result: StandingAlarmsResult, now: number, log: (line: string) => void): number {
  if ('nothing' in result) {
    // Without an earlier recording of the plant there is nothing to say: every first start is like that.
    if (result.file !== undefined) log(`Alarms start normal (last recording ${basename(result.file)}): ${result.nothing}`);
    service.release(now);
    return 0;
  }
  let plan: ReturnType<typeof matchRestoredAlarms>;
  let restored: number;
  try {
    plan = matchRestoredAlarms(result.standing, plant);
    restored = service.restore(plan, now);
  } catch (error) {
    // A fault here must not stop the host from starting: its supervisor would restart it into the same fault.
    log(`Alarms start normal: restoring them from ${basename(result.file)} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    service.release(now);
    return 0;
  }
  log(`Restored ${restored} alarm state${restored === 1 ? '' : 's'} from ${basename(result.file)}${plan.dropped.length > 0 ? `; ${plan.dropped.length} dropped (no longer in the plant or changed)` : ''}`);
  return restored;
}
