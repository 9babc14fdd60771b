// Entry of a replay worker thread: one view's recording reads, off the host's ingest loop.
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { RecordingReader } from '../recording/recording-reader.ts';
import { lowerThisThreadsPriority } from '../thread-priority.ts';
import { forecastRestMs, type RecordingDescription, type ReplayMethods, type ReplayRequestMessage, type ReplayWorkerData, type ReplayWorkerMessage } from './replay-protocol.ts';
import { ReplaySession } from './replay-session.ts';
import { modelFileClosure } from '../model-file-closure.ts';
import { liveIsBehind, longestHoldMs, waitForLive } from './live-first-gate.ts';

const data = workerData as ReplayWorkerData;
const port = data?.port ?? parentPort;
if (!port) throw new Error('replay-worker runs as a worker thread');
const requests: MessagePort = port;
// Replay yields the CPU to live ingest, once its code is loaded (at the priority it started with, so a
// view's first answer does not wait on a busy machine): the lowest priority, and on Linux the idle
// class, where it runs only on a core nothing else wants. Measured beside ingest at 80 % of what the
// host sustains, at nice 19 alone the host's thread waited for a core three times as long while four
// views replayed; in the idle class no longer than with none. Where the thread's priority cannot be
// lowered (not Linux), it runs as before, bounded by its memory cap and time limits all the same. A
// host without live (an opened recording) has nothing to yield to: at the lowest priority its views'
// replay would wait on every other busy program of the machine.
if (data?.hasLive) {
  const lowered = lowerThisThreadsPriority({ level: data.yieldLevel ?? 'idle' });
  if ('idleClass' in lowered && lowered.idleClass !== true) console.error(`Twinline: a view's replay runs at the lowest priority but not in the idle scheduling class (${lowered.idleClass})`);
}
const replay = data ? new ReplaySession(data) : undefined;
/** How often playback advances; a view draws at most this often anyway. */
const tickMs = 33;
/** Ticks in a row that playback may skip while live is behind: the next tick plays the time through. */
const longestTicksHeld = Math.ceil(longestHoldMs / tickMs);

/** Requests whose answers are large (a frame of every changed signal, a chunk of CSV) for the host's thread to pass on: they wait while live is behind. */
const heavy = new Set<ReplayRequestMessage['method']>(['enter', 'seek', 'step', 'snapshot', 'encodedSnapshot', 'exportStart', 'journalStart', 'exportNext']);

/** Posts a message, handing over (not copying) the buffer of the frame or bytes it carries. */
const post = (message: ReplayWorkerMessage) => port.postMessage(message, transferables(message));

function transferables(message: ReplayWorkerMessage): ArrayBuffer[] {
  const carried = message.type === 'update' ? message.update : message.ok ? message.result : undefined;
  const bytes = carried instanceof Uint8Array ? carried : (carried as { frame?: unknown } | null | undefined)?.frame;
  // Only a buffer the bytes have to themselves is handed over; a shared one would be torn from its other users.
  const own = bytes instanceof Uint8Array && bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return own ? [bytes.buffer as ArrayBuffer] : [];
}

/** Reads a recording's plant and models for `twinline open`, checking the file in full first. */
function describeRecording(file: string): RecordingDescription {
  const reader = new RecordingReader(file);
  try {
    // Stored by the names the plant's model files and their .gltf references have, relative to the models folder.
    const { files } = modelFileClosure(reader.plant, (file) => reader.model(file));
    const models: RecordingDescription['models'] = [...files].map(([file, bytes]) => ({ file, bytes }));
    return { plant: reader.plant, plantText: reader.plantText, signalKeys: [...reader.signalKeys], models, signalMetadata: reader.signalMetadata() };
  } finally {
    reader.close();
  }
}

function answer(message: ReplayRequestMessage): unknown {
  if (message.method === 'describe') return describeRecording((message.params as ReplayMethods['describe']['params']).file);
  if (!replay) throw new Error('this worker only describes recordings');
  const session = replay;
  const params = message.params;
  switch (message.method) {
    case 'status':
      return session.status();
    case 'enter': {
      const { time, recording } = params as ReplayMethods['enter']['params'];
      return session.enter(time, recording);
    }
    case 'leave':
      session.leave();
      return session.status();
    case 'seek':
      return session.seek((params as ReplayMethods['seek']['params']).time);
    case 'step':
      return session.step((params as ReplayMethods['step']['params']).milliseconds);
    case 'play':
      return session.play(performance.now());
    case 'pause':
      return session.pause();
    case 'speed':
      return session.setSpeed((params as ReplayMethods['speed']['params']).speed);
    case 'loop':
      return session.setLoop((params as ReplayMethods['loop']['params']).range);
    case 'snapshot':
      return session.snapshot();
    case 'encodedSnapshot':
      return session.encodedSnapshot();
    case 'timeline':
      return session.timeline(params as ReplayMethods['timeline']['params']);
    case 'shiftSummary':
      return session.shiftSummary(params as ReplayMethods['shiftSummary']['params']);
    case 'trends':
      return session.trends(params as ReplayMethods['trends']['params']);
    case 'chart':
      return session.chart(params as ReplayMethods['chart']['params']);
    case 'alarms':
      return session.alarms();
    case 'recordings':
      return session.recordings();
    case 'annotations': {
      const { from, to } = params as ReplayMethods['annotations']['params'];
      return session.annotations(from, to);
    }
    case 'saveIncident':
      return session.saveIncident(params as ReplayMethods['saveIncident']['params']);
    case 'exportStart': {
      const chunk = session.exportStart(params as ReplayMethods['exportStart']['params']);
      return { chunk, rows: session.exportedRows };
    }
    case 'journalStart': {
      const chunk = session.journalStart(params as ReplayMethods['journalStart']['params']);
      return { chunk, rows: session.exportedRows };
    }
    case 'exportNext': {
      const chunk = session.exportNext();
      return { chunk, rows: session.exportedRows };
    }
    case 'exportCancel':
      session.exportCancel();
      return null;
  }
}

/** Answers one request; what it throws ends only that request. */
function respond(message: ReplayRequestMessage): void {
  try {
    replay?.setBaseFile(message.baseFile);
    if (heavy.has(message.method)) waitForLive(data?.liveFirst);
    const result = answer(message);
    if (moving.has(message.method)) movedAt = performance.now();
    post({ type: 'response', id: message.id, ok: true, result });
  } catch (error) {
    try {
      post({ type: 'response', id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) });
    } catch (postError) {
      // The host times the request out; the log says which it was.
      console.error(`Twinline: answering a view's ${message.method} failed: ${describe(postError)} (after ${describe(error)})`);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Requests that move the cursor or close the recording: forecasts still being read for the moment before are given up for them. */
const moving = new Set<ReplayRequestMessage['method']>(['enter', 'leave', 'seek', 'step']);
/** Requests taken in while forecasts were read, answered in order next. */
const queued: ReplayRequestMessage[] = [];
let working = false;
/** When the cursor last moved (`performance.now()`): forecasts are read once it has rested `restMs`. */
let movedAt = Number.NEGATIVE_INFINITY;
const restMs = data?.forecastRestMs ?? forecastRestMs;
/** Runs `work` once the cursor has rested, when forecasts wait for that. */
let restTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Answers the requests in order; once none waits and the cursor has rested `restMs`, reads the
 * forecasts a jump left due (a seek is answered first: its forecasts may take most of a second in a
 * dense recording). Requests arriving meanwhile are taken in after each decoded block; one that moves
 * the cursor interrupts the read, any other waits for it.
 */
function work(): void {
  if (working) return;
  working = true;
  try {
    for (;;) {
      const next = queued.shift();
      if (next) {
        respond(next);
        continue;
      }
      if (!replay?.forecastsDue) return;
      const restedMs = performance.now() - movedAt;
      if (restedMs < restMs) {
        readOnceRested(restMs - restedMs);
        return;
      }
      if (!readDueForecasts(replay)) return;
      // A read is given up only for a request that came in (queued now): with none queued it finished.
      if (queued.length === 0) return;
    }
  } finally {
    working = false;
  }
}

/** Reads the forecasts due in `delayMs`, when the cursor will have rested (once, however often asked meanwhile). */
function readOnceRested(delayMs: number): void {
  if (restTimer) return;
  restTimer = setTimeout(() => {
    restTimer = undefined;
    try {
      work();
    } catch (error) {
      console.error(`Twinline: reading a replayed moment's forecasts once the cursor rested failed: ${describe(error)}`);
    }
  }, delayMs);
}

/** Reads the forecasts due, taking in requests meanwhile; false when that failed (they are left, and the failure logged). */
function readDueForecasts(session: ReplaySession): boolean {
  try {
    waitForLive(data?.liveFirst);
    const update = session.readDueForecasts(() => {
      for (let taken = receiveMessageOnPort(requests); taken; taken = receiveMessageOnPort(requests)) queued.push(taken.message as ReplayRequestMessage);
      return queued.some((message) => moving.has(message.method));
    });
    if (update) post({ type: 'update', update });
    return true;
  } catch (error) {
    console.error(`Twinline: reading a replayed moment's forecasts failed: ${describe(error)}`);
    return false;
  }
}

port.on('message', (message: ReplayRequestMessage) => {
  queued.push(message);
  work();
});

// Playback runs here, beside the reads, so a slow stretch of a recording delays only this view.
if (replay) {
  let ticksHeld = 0;
  setInterval(() => {
    try {
      // Playing gives way to live too, without blocking requests: a skipped tick's time is played through on the next.
      if (replay.isPlaying && liveIsBehind(data?.liveFirst) && ticksHeld < longestTicksHeld) {
        ticksHeld++;
        return;
      }
      ticksHeld = 0;
      const update = replay.tick(performance.now());
      if (update) post({ type: 'update', update });
      // Playing on from a jump: its forecasts are read here, between ticks.
      work();
    } catch (error) {
      console.error(`Twinline: a replay tick failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }, tickMs);
}
