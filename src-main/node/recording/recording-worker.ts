// Entry of the recording worker thread: SQLite writes, compression, rollovers and retention, off the host's ingest loop.
import { parentPort, workerData } from 'node:worker_threads';
import type { SignalMetadata } from '../../common/contract.ts';
import { ObservedKind, type ObservedBatch } from './observed-events.ts';
import type { Annotation } from '../../common/annotations/annotation.ts';
import type { AlarmRow } from './recorded-alarms.ts';
import type { RecordingSource } from './recorder.ts';
import { RecordingManager, type RecordingOptions, type RecordingStatus } from './recording-manager.ts';

/** What the recording worker is started with. */
export interface RecordingWorkerData {
  source: RecordingSource;
  options: Omit<RecordingOptions, 'clock' | 'maxFilePages' | 'log'>;
}

/** A message to the recording worker: a batch to record and commit, what the sources now say about their signals (written with the next batch), or the end. */
export type RecordingWorkerRequest = { type: 'batch'; batch: ObservedBatch; alarms?: AlarmRow[] } | { type: 'metadata'; metadata: SignalMetadata[] } | { type: 'alarms'; rows: AlarmRow[] } | { type: 'annotations'; annotations: Annotation[] } | { type: 'stop' };

/** A message from the recording worker: its status after each commit, a line for the log, or that it has stopped. */
export type RecordingWorkerReport = { type: 'status'; status: RecordingStatus } | { type: 'log'; line: string } | { type: 'stopped'; status: RecordingStatus };

const port = parentPort;
if (!port) throw new Error('recording-worker runs as a worker thread');
const post = (report: RecordingWorkerReport) => port.postMessage(report);
const { source, options } = workerData as RecordingWorkerData;
// Commits follow the batches the host sends once a second, not a timer of this thread's own.
const manager = new RecordingManager(source, { ...options, log: (line) => post({ type: 'log', line }) });
manager.open();
post({ type: 'status', status: manager.status() });

port.on('message', (request: RecordingWorkerRequest) => {
  if (request.type === 'stop') {
    manager.stop();
    post({ type: 'stopped', status: manager.status() });
    port.close();
    return;
  }
  if (request.type === 'metadata') {
    manager.onMetadata(request.metadata);
    return;
  }
  if (request.type === 'alarms') {
    manager.onAlarmRows(request.rows);
    return;
  }
  if (request.type === 'annotations') {
    manager.onAnnotations(request.annotations);
    return;
  }
  const { kinds, indices, values, times, length } = request.batch;
  for (let index = 0; index < length; index++) {
    const kind = kinds[index];
    if (kind === ObservedKind.sample) manager.onSample(indices[index]!, values[index]!, times[index]!);
    else if (kind === ObservedKind.connection) manager.onConnection(indices[index]!, values[index] === 1, times[index]!);
    else manager.onMachineHealth(indices[index]!, values[index]!, times[index]!);
  }
  // After the batch's samples: an alarm row is published after the frame that raised it.
  if (request.alarms) manager.onAlarmRows(request.alarms);
  manager.commitSafely();
  post({ type: 'status', status: manager.status() });
});
