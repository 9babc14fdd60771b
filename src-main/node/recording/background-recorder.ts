import { Worker } from 'node:worker_threads';
import type { SignalMetadata } from '../../common/contract.ts';
import type { LiveObserver } from '../live-source.ts';
import { workerExecArgv, workerScript } from '../worker-script.ts';
import { ObservedEvents, ObservedKind } from './observed-events.ts';
import type { Annotation } from '../../common/annotations/annotation.ts';
import type { AlarmRow } from './recorded-alarms.ts';
import type { RecordingSource } from './recorder.ts';
import type { RecordingOptions, RecordingStatus } from './recording-manager.ts';
import type { RecordingWorkerData, RecordingWorkerReport, RecordingWorkerRequest } from './recording-worker.ts';

/** Events buffered at most while the recording worker is busy or restarting (about 50 MB): beyond, they are counted and dropped. */
const maxBufferedEvents = 2_000_000;
/** Alarm rows buffered at most meanwhile (a flood of a whole plant's alarms fits). */
const maxBufferedAlarmRows = 200_000;
const firstRestartDelayMs = 1_000;
const longestRestartDelayMs = 60_000;
/** A worker that ran this long before failing counts as healthy: the next one starts at once. */
const healthyRunMs = 60_000;

/**
 * The host's recorder: live observations are buffered in typed arrays on the ingest loop and handed,
 * once a commit interval, to a worker thread that encodes, compresses and writes them (a
 * `RecordingManager`). A slow disk or a failing write never stalls ingest; a worker that dies is
 * restarted with a growing delay and recording goes on in a new file.
 */
export class BackgroundRecorder implements LiveObserver {
  private readonly source: RecordingSource;
  private readonly options: RecordingOptions;
  private readonly log: (line: string) => void;
  private readonly pending = new ObservedEvents(maxBufferedEvents);
  private worker: Worker | undefined;
  private workerStartedAt = 0;
  /** Whether the worker is still committing the last batch: the next waits (and grows) meanwhile. */
  private busy = false;
  private latest: RecordingStatus;
  private failure: string | undefined;
  private restartDelayMs = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly timer: ReturnType<typeof setInterval>;
  private stopping: Promise<void> | undefined;
  /** Samples the worker reported committed by workers that have stopped, so totals survive a restart. */
  private samplesBefore = 0;
  /** What the sources last said about their signals: a restarted worker is told it again. */
  private metadata: SignalMetadata[] | undefined;
  /** Alarm rows waiting for the next batch. */
  private pendingAlarms: AlarmRow[] = [];
  /** Each alarm's last row: a restarted worker starts its new file with them. */
  private readonly latestAlarmRows = new Map<number, AlarmRow>();
  /** Alarm rows refused because too many waited (the worker fell behind or is restarting). */
  private droppedAlarmRows = 0;

  constructor(source: RecordingSource, options: RecordingOptions, log: (line: string) => void) {
    this.source = source;
    this.options = options;
    this.log = log;
    this.latest = { recording: false, directory: options.directory, bytes: 0, samplesTotal: 0, samplesPerSecond: 0 };
    this.startWorker();
    this.timer = setInterval(() => this.flush(), options.commitIntervalMs ?? 1000);
    this.timer.unref();
  }

  onSample(signal: number, value: number, time: number): void {
    this.pending.push(ObservedKind.sample, signal, value, time);
  }

  onConnection(broker: number, connected: boolean, time: number): void {
    this.pending.push(ObservedKind.connection, broker, connected ? 1 : 0, time);
  }

  onMachineHealth(machine: number, health: number, time: number): void {
    this.pending.push(ObservedKind.health, machine, health, time);
  }

  /** Rare (births that change a unit or range): handed to the worker at once, beside the batches, and written with the next one. */
  onMetadata(metadata: readonly SignalMetadata[]): void {
    this.metadata = [...metadata];
    if (this.worker) this.send(this.worker, { type: 'metadata', metadata: this.metadata });
  }

  /** Alarm transitions and flood changes as live published them: written with the next batch. */
  onAlarmRows(rows: readonly AlarmRow[]): void {
    for (const row of rows) {
      this.latestAlarmRows.set(row.alarm, row);
      if (this.pendingAlarms.length >= maxBufferedAlarmRows) this.droppedAlarmRows++;
      else this.pendingAlarms.push(row);
    }
  }

  /** Annotations people added: sent to the worker at once (they are few), written with its next commit. */
  onAnnotations(annotations: readonly Annotation[]): void {
    if (this.worker) this.send(this.worker, { type: 'annotations', annotations: [...annotations] });
  }

  /** The file being written, for replay while recording goes on. */
  currentFile(): string | undefined {
    return this.latest.file;
  }

  /** What the status bar shows: the worker's last report, and why recording is not whole when it is not. */
  status(): RecordingStatus {
    const status = { ...this.latest, samplesTotal: this.samplesBefore + this.latest.samplesTotal };
    const problems = [this.failure, this.latest.error, this.pending.dropped > 0 ? `${this.pending.dropped.toLocaleString('en')} samples were not recorded: the disk could not keep up` : undefined, this.droppedAlarmRows > 0 ? `${this.droppedAlarmRows.toLocaleString('en')} alarm changes were not recorded` : undefined].filter(Boolean);
    if (problems.length > 0) status.error = problems.join('; ');
    return status;
  }

  /** Commits what is buffered, closes the file and ends the worker. */
  stop(): Promise<void> {
    this.stopping ??= this.finish();
    return this.stopping;
  }

  private async finish(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const stopped = new Promise<void>((resolve) => {
      worker.on('message', (report: RecordingWorkerReport) => report.type === 'stopped' && resolve());
      worker.once('exit', () => resolve());
    });
    this.send(worker, { type: 'batch', batch: this.pending.take(), alarms: this.takeAlarms() });
    this.send(worker, { type: 'stop' });
    await stopped;
    this.worker = undefined;
    await worker.terminate();
  }

  /** Hands the buffered events to the worker, unless it is still busy with the last batch (then they wait and grow). */
  private flush(): void {
    const worker = this.worker;
    if (!worker || this.busy || (this.pending.length === 0 && this.pendingAlarms.length === 0)) return;
    const batch = this.pending.take();
    this.busy = true;
    this.send(worker, { type: 'batch', batch, alarms: this.takeAlarms() }, [batch.kinds.buffer, batch.indices.buffer, batch.values.buffer, batch.times.buffer]);
  }

  private takeAlarms(): AlarmRow[] {
    const rows = this.pendingAlarms;
    this.pendingAlarms = [];
    return rows;
  }

  private send(worker: Worker, request: RecordingWorkerRequest, transfer: ArrayBuffer[] = []): void {
    try {
      worker.postMessage(request, transfer);
    } catch (error) {
      this.onWorkerFailure(worker, `could not hand a batch to the recording worker: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private startWorker(): void {
    // Only plain values cross into the worker; functions (clock, log) stay on this side.
    const { directory, maxFileBytes, maxFileMs, maxTotalBytes, commitIntervalMs } = this.options;
    const data: RecordingWorkerData = { source: this.source, options: { directory, maxFileBytes, maxFileMs, maxTotalBytes, commitIntervalMs } };
    const worker = new Worker(workerScript(import.meta.url, 'recording-worker'), { workerData: data, execArgv: workerExecArgv, resourceLimits: { maxOldGenerationSizeMb: 512 } });
    this.worker = worker;
    this.workerStartedAt = Date.now();
    this.busy = false;
    worker.on('message', (report: RecordingWorkerReport) => {
      if (worker !== this.worker) return;
      if (report.type === 'log') this.log(report.line);
      else {
        this.latest = report.status;
        this.busy = false;
        if (report.type === 'status' && this.failure && report.status.recording) {
          this.log(`Twinline: recording again, to ${report.status.file}`);
          this.failure = undefined;
        }
      }
    });
    if (this.metadata) this.send(worker, { type: 'metadata', metadata: this.metadata });
    // A worker started again begins a new file: it starts with the alarms as they stand (rows not yet sent follow in the next batch).
    if (this.latestAlarmRows.size > 0) this.send(worker, { type: 'alarms', rows: [...this.latestAlarmRows.values()].map((row) => ({ ...row, event: 'carried' })) });
    worker.on('error', (error) => this.onWorkerFailure(worker, error.stack ?? error.message));
    worker.on('exit', (code) => this.onWorkerFailure(worker, `exit code ${code}`));
  }

  /** A worker that died: the reason is shown and logged, and a new worker (with a new file) starts after a growing delay. */
  private onWorkerFailure(worker: Worker, reason: string): void {
    if (worker !== this.worker || this.stopping) return;
    this.worker = undefined;
    void worker.terminate();
    this.samplesBefore += this.latest.samplesTotal;
    this.latest = { ...this.latest, recording: false, samplesTotal: 0, samplesPerSecond: 0 };
    const ranMs = Date.now() - this.workerStartedAt;
    this.restartDelayMs = ranMs >= healthyRunMs ? firstRestartDelayMs : Math.min(longestRestartDelayMs, Math.max(firstRestartDelayMs, this.restartDelayMs * 2));
    this.scheduleRestart(`The recording worker stopped (${reason.split('\n')[0]})`);
    this.log(`Twinline: the recording worker stopped: ${reason}`);
  }

  private scheduleRestart(reason: string): void {
    this.failure = `${reason}; restarting in ${Math.round(this.restartDelayMs / 1000)} s`;
    this.restartTimer = setTimeout(() => {
      try {
        this.startWorker();
      } catch (error) {
        this.restartDelayMs = Math.min(longestRestartDelayMs, this.restartDelayMs * 2);
        this.log(`Twinline: the recording worker could not start again: ${error instanceof Error ? error.message : String(error)}`);
        this.scheduleRestart('The recording worker could not start');
      }
    }, this.restartDelayMs);
    this.restartTimer.unref();
  }
}
