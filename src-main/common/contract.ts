import { z } from 'zod';
import type { Plant } from './plant-schema.ts';
import { alarmActionSchema, type AlarmAction, type AlarmActionResult } from './alarms/alarm-contract.ts';
import type { AlarmSnapshot } from './alarms/alarm-record.ts';
import type { ForecastSnapshot } from './forecast/forecast-record.ts';
import { getTopicTreeParams, openTopicExplorerParams, type TopicTreeView } from './topic-explorer.ts';
import { plantEditorRequestSchema, type PlantEditorReply, type PlantEditorRequest, type PlantEditorView } from './plant-edit.ts';
import { modelUploadRequestSchema, type ModelUploadReply, type ModelUploadRequest } from './model-upload.ts';
import { toursDocumentSchema, type ToursView } from './tours/tours-schema.ts';
import { addAnnotationSchema, type AddAnnotation, type Annotation } from './annotations/annotation.ts';
import type { ShiftSummary } from './shift-summary.ts';

/**
 * The one contract between the host (ingest, health, later replay) and its views.
 * Both transports — Electron MessagePort and WebSocket — carry exactly these messages.
 */
export const protocolVersion = 1;

/** A plant as a view needs it: the validated file plus the flat signal order frames refer to. */
export interface PlantDescription {
  plant: Plant;
  /** `machineId/signalId` for each signal, in the order of frame indices. */
  signalKeys: string[];
  /** For each signal index, the index of its machine in `plant.machines`. */
  signalMachine: number[];
  /** Where the view loads model files from, relative to its own origin. */
  modelsBaseUrl: string;
  /** What is being watched, for the title bar. */
  sourceLabel: string;
}

/**
 * Changes since the previous frame, as parallel arrays (cheap to clone across processes and to apply).
 * `full` frames carry every signal and machine in plant order and replace what the view had; their
 * index arrays are empty, since there a position is the index. Read a frame with the helpers of
 * `frame-batch.ts`, which hold these rules.
 */
export interface FrameBatch {
  /** Host clock (ms since the epoch) at which the frame was cut. */
  time: number;
  full: boolean;
  /** The signal at each position of a delta frame; empty in a full frame. */
  signalIndex: number[];
  signalValue: number[];
  /**
   * How long before `time` each signal's latest sample was received (ms): its receive time is
   * `time − age`, and an age of `time` itself (receive time 0) means no sample yet. A few digits where
   * a time since the epoch takes thirteen: with the index arrays left out of full frames, a seek's
   * frame across 10,000 signals is about half the text.
   */
  signalSampleAge: number[];
  signalHealth: number[];
  /** The machine at each position of a delta frame; empty in a full frame. */
  machineIndex: number[];
  machineHealth: number[];
}

/** State of the link to one broker. */
export interface ConnectionStatus {
  brokerId: string;
  url: string;
  state: 'connecting' | 'connected' | 'reconnecting' | 'disconnected';
  /** When the state last changed (ms since the epoch). */
  since: number;
  lastError?: string;
  reconnectAttempts: number;
  /** MQTT protocol version spoken: 4 (3.1.1) or 5. */
  protocol: 4 | 5;
  /** Topic filters subscribed in the current session. */
  subscriptions: number;
  /** What is insecure about this connection (an unverified certificate, a password sent in clear), shown wherever the broker is. */
  warnings: string[];
}

/** Kinds of bad input the host counts instead of crashing on. */
export const problemKinds = [
  'malformedPayload',
  'wrongType',
  'missingField',
  'unknownTopic',
  'oversizePayload',
  /** Text that the signal's `states` map does not name. */
  'unknownState',
  /** Sparkplug data naming an alias its birth did not define. */
  'unknownAlias',
  /** Sparkplug data from a node or device whose birth the host has not seen. */
  'dataBeforeBirth',
] as const;
/** One kind of bad input. */
export type ProblemKind = (typeof problemKinds)[number];

/** One recent bad input, kept so the user can see where it came from. */
export interface IngestProblem {
  time: number;
  kind: ProblemKind;
  brokerId: string;
  topic: string;
  detail: string;
}

/** What one broker delivered and what became of it. */
export interface BrokerDiagnostics {
  brokerId: string;
  messagesReceived: number;
  samplesAccepted: number;
  /** Messages or samples refused, by reason. */
  problemCounts: Record<ProblemKind, number>;
  /** Samples whose own timestamp was too far from the host's clock, so that their receive time was used. */
  clockSkewed: number;
}

/** Ingest counters (all brokers, then each broker) and the most recent problems. */
export interface Diagnostics {
  messagesReceived: number;
  samplesAccepted: number;
  problemCounts: Record<ProblemKind, number>;
  recentProblems: IngestProblem[];
  /** The same counts per broker, in the plant's broker order. */
  brokers: BrokerDiagnostics[];
}

/** Every problem kind at zero. */
export function emptyProblemCounts(): Record<ProblemKind, number> {
  return Object.fromEntries(problemKinds.map((kind) => [kind, 0])) as Record<ProblemKind, number>;
}

/** Whether a view watches the plant now or a recorded moment. */
export type PlayerMode = 'live' | 'replay';

/** What the current source can do: live has no seek; an opened file has no live. */
export interface PlayerCapabilities {
  live: boolean;
  replay: boolean;
}

/** The recorder as the status bar shows it. */
export interface RecordingSummary {
  recording: boolean;
  file?: string;
  bytes: number;
  samplesTotal: number;
  samplesPerSecond: number;
  error?: string;
}

/** The player's state: one shape for live and replay, so the timeline never asks which it is. */
export interface PlayerState {
  mode: PlayerMode;
  /** The moment shown (ms since the epoch). */
  time: number;
  playing: boolean;
  /** Replay speed, 0.1× to 100×. */
  speed: number;
  /** What can be replayed (ms since the epoch); equal ends when nothing is recorded. */
  range: { start: number; end: number };
  loop: { start: number; end: number } | null;
  capabilities: PlayerCapabilities;
  recording: RecordingSummary | null;
  /** File name of the recording being replayed (or that replay would open). */
  replaying: string | null;
  /** How many consecutive files of one session replay spans, that one included; 0 before anything is recorded. */
  sessionFiles: number;
  /** Why replay could not do what was last asked (a damaged recording, a read that failed or took too long); null when all is well. */
  problem: string | null;
}

/** A command to the player. */
export type PlayerCommand =
  | { action: 'play' }
  | { action: 'pause' }
  | { action: 'seek'; time: number }
  | { action: 'step'; milliseconds: number }
  | { action: 'speed'; speed: number }
  | { action: 'loop'; range: { start: number; end: number } | null }
  | { action: 'live' }
  | { action: 'replay'; time?: number; recording?: string };

/** A recording the host can replay, by file name within its recordings folder. */
export interface RecordingEntry {
  name: string;
  bytes: number;
  /** Whether it is the file being written now. */
  current: boolean;
  /** Why it cannot be read (a link to nothing, a folder, no permission); absent for a readable file. */
  problem?: string;
}

/** The timeline's overview: the plant's worst health per bucket, one machine's, and alarm markers. */
export interface TimelineOverview {
  range: { start: number; end: number };
  bucketMs: number;
  plantHealth: number[];
  machineHealth: number[] | null;
  /**
   * Moments machines entered alarm; `signal` is the index (in signal order) of the machine's first signal in
   * alarm then, or null when it could not be told (a damaged stretch, or more alarms than are named per request).
   */
  alarms: Array<{ time: number; machine: number; signal: number | null }>;
  /** Stretches a damaged recording could not give back: shown as gaps, never as health. */
  gaps: Array<{ start: number; end: number; reason: string }>;
}

/** Slowest and fastest replay speeds. */
export const replaySpeeds = { min: 0.1, max: 100 } as const;

/** One signal's recorded trend over a stretch: per bucket of `resolution` ms, its lowest, highest and last value. */
export interface SignalTrend {
  signal: number;
  resolution: number;
  time: number[];
  min: number[];
  max: number[];
  last: number[];
}

/**
 * One signal's chart over a range: equal buckets of `bucketMs` (about a pixel each), each with the lowest and
 * highest value of the recorded rollups (of `resolution` ms) starting in it; buckets without samples are left out.
 */
export interface ChartSeries {
  signal: number;
  resolution: number;
  bucketMs: number;
  time: number[];
  min: number[];
  max: number[];
}

/** Most signals one chart request reads. */
export const maxChartSignals = 8;

/**
 * What a signal's source says about it beside its samples (Sparkplug metric properties `engUnit`,
 * `engLow`, `engHigh`): its unit and its engineering (display) range. Never alarm limits: health
 * follows the plant file's limits only. Bounded as `signal-metadata.ts` says before it is kept.
 */
export interface SignalMetadata {
  /** Index of the signal in the signal order. */
  signal: number;
  unit?: string;
  low?: number;
  high?: number;
}

/** Requests a view may send, with their parameters and results. */
export interface HostMethods {
  getPlant: { params: Record<string, never>; result: PlantDescription };
  getSnapshot: { params: Record<string, never>; result: FrameBatch };
  getStatus: { params: Record<string, never>; result: { connections: ConnectionStatus[]; diagnostics: Diagnostics; metadata: SignalMetadata[] } };
  subscribe: { params: { streams: StreamName[] }; result: { streams: StreamName[] } };
  unsubscribe: { params: { streams: StreamName[] }; result: { streams: StreamName[] } };
  getPlayer: { params: Record<string, never>; result: PlayerState };
  player: { params: PlayerCommand; result: PlayerState };
  getTimeline: { params: { from: number; to: number; buckets: number; machine: number | null }; result: TimelineOverview };
  /** Per line, the share of time in each state over a recorded range (at most a month), and the machines longest in alarm. */
  getShiftSummary: { params: { from: number; to: number }; result: ShiftSummary };
  listRecordings: { params: Record<string, never>; result: RecordingEntry[] };
  /** The CSV text arrives first, in `chunk` messages carrying this request's id; the result says how much there was. */
  exportCsv: { params: { signals: string[]; from: number; to: number }; result: { rows: number; bytes: number } };
  /** The alarm journal of a recorded range as CSV (the rows of `twinline export --alarms`), streamed in `chunk` messages as `exportCsv` is. */
  exportAlarmJournal: { params: { from: number; to: number }; result: { rows: number; bytes: number } };
  /** The recorded trend of each of a machine's signals, in at most `points` buckets. */
  getTrends: { params: { machine: number; from: number; to: number; points: number }; result: SignalTrend[] };
  /** Recorded min/max charts of chosen signals (signal indices, of any machines) over a range, in `buckets` equal buckets. */
  getChart: { params: { signals: number[]; from: number; to: number; buckets: number }; result: ChartSeries[] };
  /** Every alarm that is not plainly normal, and the flood indicator, at the moment the view shows. */
  getAlarms: { params: Record<string, never>; result: AlarmSnapshot };
  /** An operator's action on alarms (live only): acknowledge, shelve, unshelve, suppress, return to service. */
  alarmAction: { params: AlarmAction; result: AlarmActionResult };
  /** Opens the topic explorer for this view: the host subscribes its brokers with `filter` while any view has it open. */
  openTopicExplorer: { params: z.infer<typeof openTopicExplorerParams>; result: { open: true; filter: string } };
  closeTopicExplorer: { params: Record<string, never>; result: { open: false } };
  /** The explorer's totals, the children of the nodes this view expanded and its selected topic (ask about once a second). */
  getTopicTree: { params: z.infer<typeof getTopicTreeParams>; result: TopicTreeView };
  /** The plant editor (`serve --edit`): its state and the plant with the edits not yet saved (ask about once a second while editing). */
  getPlantEditor: { params: Record<string, never>; result: PlantEditorView };
  /** A plant editor request: apply an action, undo, redo, save, or revert to the file on disk. */
  editPlant: { params: PlantEditorRequest; result: PlantEditorReply };
  /** The model files a machine may be added from (`serve --edit`): names relative to the plant's models folder, never host paths. */
  listModelFiles: { params: Record<string, never>; result: { files: string[]; more: number } };
  /** One step of uploading a model file into the models folder (`serve --edit`): begin, a chunk, finish or cancel. */
  uploadModelFile: { params: ModelUploadRequest; result: ModelUploadReply };
  /** The plant's viewpoints and tours (`<plant>.tours.yaml`), and whether this view may save them. */
  getTours: { params: Record<string, never>; result: ToursView };
  /** Saves the viewpoints and tours whole (validated, written atomically); answers with what the file now holds. */
  saveTours: { params: z.input<typeof toursDocumentSchema>; result: ToursView };
  /** The annotations pinned from `from` to `to` (live or replayed: from the recording), and whether this view may add one. */
  getAnnotations: { params: { from: number; to: number }; result: AnnotationList };
  /** Pins a note to a moment (and maybe a machine) in the live host's recording; every view is sent it on the `annotations` stream. */
  addAnnotation: { params: AddAnnotation; result: Annotation };
  /** Writes an incident package of a range (at most an hour) into the recordings folder's `incidents` folder; answers with its name there. */
  saveIncident: { params: z.infer<typeof saveIncidentParams>; result: { name: string; from: number; to: number; annotations: number } };
}

/** Annotations of a range, at most `maxAnnotationsPerRead`, in time order. */
export interface AnnotationList {
  annotations: Annotation[];
  /** Whether this view may add annotations (a live host that records). */
  canAdd: boolean;
}

/** Most signals one export request of a view may name: at their longest they still fit a view message (64 KiB). */
export const maxExportSignals = 400;

/** Most rows a view may export at once; larger exports go through `twinline export`. */
export const maxExportRows = 1_000_000;

/** Streams the host pushes to subscribed views. */
export interface HostStreams {
  frame: FrameBatch;
  connection: ConnectionStatus[];
  diagnostics: Diagnostics;
  player: PlayerState;
  /** How many views the server has connected; only a server with several views (browser mode) sends it. */
  views: ViewCount;
  /** Every signal the source has said something about (unit, engineering range), sent whole when any of it changes. */
  metadata: SignalMetadata[];
  /** The alarms, whole, whenever any of them changes (live), or as recorded at the moment shown (replay). */
  alarms: AlarmSnapshot;
  /** Each signal's look ahead (when its trend reaches a limit), whole: once a second live, at the moment shown in replay. */
  forecast: ForecastSnapshot;
  /** Annotations as any view adds them (live host only). */
  annotations: Annotation[];
}

/** The views connected to one server, this one included. */
export interface ViewCount {
  connected: number;
}

/** Name of a request. */
export type MethodName = keyof HostMethods;
/** Name of a stream. */
export type StreamName = keyof HostStreams;

/** Every stream, for validation. */
export const streamNames = ['frame', 'connection', 'diagnostics', 'player', 'views', 'metadata', 'alarms', 'forecast', 'annotations'] as const satisfies readonly StreamName[];

const emptyParams = z.object({}).strict();
/** What a view sends to save an incident package: the range, and a title and summary on their own bounds (checked again when written). */
const saveIncidentParams = z
  .object({
    from: z.number().int().min(0).max(8.64e15),
    to: z.number().int().min(0).max(8.64e15),
    title: z.string().max(200).optional(),
    summary: z.string().max(8000).optional(),
  })
  .strict()
  .refine((range) => range.to >= range.from, 'to must not be before from');
const streamsParams = z.object({ streams: z.array(z.enum(streamNames)).max(streamNames.length) }).strict();
const requestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const time = z.number().finite().min(0).max(8.64e15);
const timeRange = z.object({ start: time, end: time }).strict().refine((range) => range.end >= range.start, 'end must not be before start');
const playerCommand = z.discriminatedUnion('action', [
  z.object({ action: z.literal('play') }).strict(),
  z.object({ action: z.literal('pause') }).strict(),
  z.object({ action: z.literal('seek'), time }).strict(),
  z.object({ action: z.literal('step'), milliseconds: z.number().finite().min(-8.64e7).max(8.64e7) }).strict(),
  z.object({ action: z.literal('speed'), speed: z.number().min(0.1).max(100) }).strict(),
  z.object({ action: z.literal('loop'), range: timeRange.nullable() }).strict(),
  z.object({ action: z.literal('live') }).strict(),
  z.object({
    action: z.literal('replay'),
    time: time.optional(),
    // A bare file name: a view may pick among the host's recordings, never name a path.
    recording: z.string().regex(/^[A-Za-z0-9_.-]+\.twinline$/, 'a recording file name').optional(),
  }).strict(),
]);
const timeRangeParams = z.object({ from: time, to: time }).strict().refine((range) => range.to >= range.from, 'to must not be before from');
const timelineParams = z
  .object({ from: time, to: time, buckets: z.number().int().min(1).max(4000), machine: z.number().int().min(0).nullable() })
  .strict();

/** Schema of every message a view may send; the host checks each one against it. */
export const viewMessageSchema = z.discriminatedUnion('method', [
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('getPlant'), params: emptyParams.default({}) }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('getSnapshot'), params: emptyParams.default({}) }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('getStatus'), params: emptyParams.default({}) }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('subscribe'), params: streamsParams }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('unsubscribe'), params: streamsParams }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('getPlayer'), params: emptyParams.default({}) }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('player'), params: playerCommand }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('getTimeline'), params: timelineParams }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('getShiftSummary'), params: timeRangeParams }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('listRecordings'), params: emptyParams.default({}) }).strict(),
  z
    .object({
      type: z.literal('request'),
      id: requestId,
      method: z.literal('exportCsv'),
      // `machine/signal` keys (ids are at most 64 characters), as many as fit one view message: more go through `twinline export`.
      params: z.object({ signals: z.array(z.string().min(3).max(129)).min(1).max(maxExportSignals), from: time, to: time }).strict(),
    })
    .strict(),
  z
    .object({
      type: z.literal('request'),
      id: requestId,
      method: z.literal('getTrends'),
      params: z.object({ machine: z.number().int().min(0).max(1_000_000), from: time, to: time, points: z.number().int().min(1).max(2000) }).strict(),
    })
    .strict(),
  z
    .object({
      type: z.literal('request'),
      id: requestId,
      method: z.literal('getChart'),
      params: z
        .object({ signals: z.array(z.number().int().min(0).max(10_000_000)).min(1).max(maxChartSignals), from: time, to: time, buckets: z.number().int().min(1).max(4000) })
        .strict(),
    })
    .strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('exportAlarmJournal'), params: timeRangeParams }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('getAlarms'), params: emptyParams.default({}) }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('alarmAction'), params: alarmActionSchema }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('openTopicExplorer'), params: openTopicExplorerParams }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('closeTopicExplorer'), params: emptyParams.default({}) }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('getTopicTree'), params: getTopicTreeParams }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('getPlantEditor'), params: emptyParams.default({}) }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('editPlant'), params: plantEditorRequestSchema }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('listModelFiles'), params: emptyParams.default({}) }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('uploadModelFile'), params: modelUploadRequestSchema }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('getTours'), params: emptyParams.default({}) }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('saveTours'), params: toursDocumentSchema }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('getAnnotations'), params: z.object({ from: time, to: time }).strict() }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('addAnnotation'), params: addAnnotationSchema }).strict(),
  z.object({ type: z.literal('request'), id: requestId, method: z.literal('saveIncident'), params: saveIncidentParams }).strict(),
]);

/** A request as sent by a view. */
export type ViewMessage = z.infer<typeof viewMessageSchema>;

/** Why a request failed. */
export interface RemoteError {
  code: 'invalidMessage' | 'unknownMethod' | 'internal';
  message: string;
}

/** Messages the host sends to a view. */
export type HostMessage =
  | { type: 'hello'; protocolVersion: number }
  | { type: 'response'; id: number | null; ok: true; result: unknown }
  | { type: 'response'; id: number | null; ok: false; error: RemoteError }
  /** Part of a long result (an export's text), sent before the request's response. */
  | { type: 'chunk'; id: number; data: string }
  | { [Stream in StreamName]: { type: 'event'; stream: Stream; data: HostStreams[Stream] } }[StreamName];

/**
 * A frame event already encoded as the JSON text of its `HostMessage`, made where the frame is made
 * (in a replay worker thread, or once for all views of a live frame), so that the host's loop only
 * passes the text on instead of serialising the same large frame for every view.
 */
export interface EncodedFrameEvent {
  readonly encoded: string;
  /** The same text as UTF-8, when it was made on another thread: a socket sends these bytes as they are. */
  readonly bytes?: Uint8Array;
}

/** How a frame event's text begins: the frame's JSON follows … */
export const frameEventPrefix = '{"type":"event","stream":"frame","data":';
/** … and this ends it. */
export const frameEventSuffix = '}';

/** Encodes a frame as the text of its `{ type: 'event', stream: 'frame' }` message. */
export function encodeFrameEvent(frame: FrameBatch): EncodedFrameEvent {
  return { encoded: `${frameEventPrefix}${JSON.stringify(frame)}${frameEventSuffix}` };
}

/** A two-way message channel: a MessagePort, a WebSocket or the Electron bridge, seen the same way. */
export interface MessageEndpoint {
  send(message: unknown): void;
  /** Listens for messages; returns a function that stops listening. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Listens for the channel closing; returns a function that stops listening. */
  onClose(listener: () => void): () => void;
  close(): void;
  /** Resolves once the channel has room for more, rejects if it closes first: a long result waits for a slow reader instead of piling up. */
  whenWritable?(): Promise<void>;
  /** Sends a frame event as the text it already is; a channel without it gets frames as objects. */
  sendEncodedFrame?(event: EncodedFrameEvent): void;
}

/**
 * What a host offers its views: live ingest and each view's player implement it, so that views never
 * know which one they are watching. Answers that read a recording come back as promises: those reads
 * run off the ingest loop.
 */
export interface TwinlineSource {
  describePlant(): PlantDescription;
  snapshot(): FrameBatch | Promise<FrameBatch>;
  connections(): ConnectionStatus[];
  diagnostics(): Diagnostics;
  /** What the source says about its signals (units, engineering ranges); a source without it says nothing. */
  metadata?(): SignalMetadata[];
  /** Subscribes to a stream; returns the unsubscribe function. */
  subscribe<Stream extends StreamName>(stream: Stream, listener: (data: HostStreams[Stream]) => void): () => void;
  /** Subscribes to frames as encoded events, for a channel that sends text; returns the unsubscribe function. */
  subscribeEncodedFrames?(listener: (event: EncodedFrameEvent) => void): () => void;
  /** The whole state now as an encoded frame event, made off the host's loop (a replay worker); a view that fell behind gets it. */
  encodedSnapshot?(): Promise<EncodedFrameEvent>;
  /** The player's state; a source without one is always live. */
  player?(): PlayerState | Promise<PlayerState>;
  /** Carries out a player command and returns the new state. */
  command?(command: PlayerCommand): PlayerState | Promise<PlayerState>;
  /** The timeline overview for a range. */
  timeline?(params: HostMethods['getTimeline']['params']): TimelineOverview | Promise<TimelineOverview>;
  /** The shift summary of a recorded range. */
  shiftSummary?(params: HostMethods['getShiftSummary']['params']): ShiftSummary | Promise<ShiftSummary>;
  /** The recordings this source can replay. */
  recordings?(): RecordingEntry[] | Promise<RecordingEntry[]>;
  /** Chosen signals' recorded samples in a range, as CSV handed to `write` in bounded chunks. */
  exportCsv?(params: HostMethods['exportCsv']['params'], write: (chunk: string) => void | Promise<void>): Promise<HostMethods['exportCsv']['result']>;
  /** The alarm journal of a recorded range, as CSV handed to `write` in bounded chunks. */
  exportAlarmJournal?(params: HostMethods['exportAlarmJournal']['params'], write: (chunk: string) => void | Promise<void>): Promise<HostMethods['exportAlarmJournal']['result']>;
  /** A machine's recorded signal trends over a range. */
  trends?(params: HostMethods['getTrends']['params']): SignalTrend[] | Promise<SignalTrend[]>;
  /** Chosen signals' recorded min/max charts over a range. */
  chart?(params: HostMethods['getChart']['params']): ChartSeries[] | Promise<ChartSeries[]>;
  /** The alarms at the moment shown. */
  alarms?(): AlarmSnapshot | Promise<AlarmSnapshot>;
  /** Applies an operator's action on alarms; only live alarms can be acted on. */
  alarmAction?(action: AlarmAction): AlarmActionResult | Promise<AlarmActionResult>;
  /** The topic explorer of this view (a live host only). */
  openTopicExplorer?(filter: string): HostMethods['openTopicExplorer']['result'];
  closeTopicExplorer?(): HostMethods['closeTopicExplorer']['result'];
  topicTree?(params: HostMethods['getTopicTree']['params']): Promise<TopicTreeView>;
  /** The plant editor's state and plant (a host serving with --edit only). */
  plantEditor?(): PlantEditorView;
  /** Carries out a plant editor request (a host serving with --edit only). */
  editPlant?(request: PlantEditorRequest): Promise<PlantEditorReply>;
  /** The model files a machine may be added from (a host serving with --edit only). */
  modelFiles?(): HostMethods['listModelFiles']['result'];
  /** Carries out one step of a model file upload (a host serving with --edit only). */
  uploadModelFile?(request: ModelUploadRequest): ModelUploadReply;
  /** The viewpoints and tours of what is shown (a source given a tours file only). */
  tours?(): ToursView;
  /** Saves validated viewpoints and tours (a source given a writable tours file only). */
  saveTours?(document: z.output<typeof toursDocumentSchema>): ToursView;
  /** The annotations of a range, read from the recording (a source with one only). */
  annotations?(params: HostMethods['getAnnotations']['params']): AnnotationList | Promise<AnnotationList>;
  /** Adds a validated annotation to the live recording (a live host that records only). */
  addAnnotation?(params: AddAnnotation): Annotation | Promise<Annotation>;
  /** Writes an incident package of a range of the recording shown (a source with a recordings folder only). */
  saveIncident?(params: HostMethods['saveIncident']['params']): Promise<HostMethods['saveIncident']['result']>;
  /** Releases what the source holds for its view. */
  dispose?(): void;
}
