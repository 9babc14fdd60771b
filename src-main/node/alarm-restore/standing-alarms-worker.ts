// Entry of the worker thread that reads the alarms a recording left standing, off the host's ingest loop,
// and matches them with the running plant there: what it sends the host is bounded by the plant's
// alarms, not by what the file holds.
import { parentPort, workerData } from 'node:worker_threads';
import { boundedRestorePlan, matchRestoredAlarms } from '../../common/alarms/match-restored-alarms.ts';
import type { Plant } from '../../common/plant-schema.ts';
import { lowerThisThreadsPriority } from '../thread-priority.ts';
import type { RestoreReadResult } from './restore-standing-alarms.ts';
import { standingAlarms } from './standing-alarms.ts';

/** Dropped alarms named to the host (and so to its log); the rest are counted. */
const namedDropped = 20;

const port = parentPort;
if (!port) throw new Error('standing-alarms-worker runs as a worker thread');
lowerThisThreadsPriority();
const { files, plant, now } = workerData as { files: string[]; plant: Plant; now: number };
let result: RestoreReadResult;
try {
  const read = standingAlarms(files, plant.name, now);
  result = 'nothing' in read ? read : { file: read.file, plan: boundedRestorePlan(matchRestoredAlarms(read.standing, plant), namedDropped) };
} catch (error) {
  result = { nothing: `reading the last recording failed: ${error instanceof Error ? error.message : String(error)}` };
}
port.postMessage(result);
