// Entry of the worker thread that reads the alarms a recording left standing, off the host's ingest loop.
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadsPriority } from '../thread-priority.ts';
import { standingAlarms, type StandingAlarmsResult } from './standing-alarms.ts';

const port = parentPort;
if (!port) throw new Error('standing-alarms-worker runs as a worker thread');
lowerThisThreadsPriority();
const { files, plantName, now } = workerData as { files: string[]; plantName: string; now: number };
let result: StandingAlarmsResult;
try {
  result = standingAlarms(files, plantName, now);
} catch (error) {
  result = { nothing: `reading the last recording failed: ${error instanceof Error ? error.message : String(error)}` };
}
port.postMessage(result);
