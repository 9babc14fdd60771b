import type { BrokerDiagnostics, ConnectionStatus, Diagnostics, FrameBatch, HostStreams, IngestProblem, PlantDescription, ProblemKind, SignalMetadata, StreamName, TwinlineSource } from '../common/contract.ts';
import { emptyProblemCounts } from '../common/contract.ts';
import { appendFrameMachine, appendFrameSignal, emptyFrame } from '../common/frame-batch.ts';
import { applySample, Health, ruleForSignal, signalHealthAt, sourceLostValue, worseHealth, type HealthCode, type SignalRule, type SignalRuleState } from '../common/health.ts';
import { brokerSparkplugSchema, type Plant, type Signal, type SparkplugBinding } from '../common/plant-schema.ts';
import { redactPlant } from '../common/redact-secrets.ts';
import { resolveBrokers, type BrokerEndpoint } from '../common/resolve-brokers.ts';
import { signalOrder } from '../common/signal-order.ts';
import { boundSignalMetadata, sameSignalMetadata, type SignalDescription } from '../common/signal-metadata.ts';
import { BrokerConnection, type ReconnectPolicy } from './broker-connection.ts';
import { JsonTopicDecoder } from './json-topic-decoder.ts';
import type { MessageDecoder } from './message-decoder.ts';
import type { SampleSink } from './sample-sink.ts';
import { SparkplugHostApplication } from './sparkplug/sparkplug-host-application.ts';

/** How a live source is set up. */
export interface LiveSourceOptions {
  plant: Plant;
  /** Broker URLs by broker id, overriding the plant file; the key "" is the first broker. */
  brokerUrls?: Readonly<Record<string, string>>;
  /** Shorthand for `brokerUrls: { '': url }`. */
  defaultBrokerUrl?: string;
  /** The plant file's folder, which the brokers' TLS files are relative to (default: the working directory). */
  plantDirectory?: string;
  modelsBaseUrl?: string;
  sourceLabel?: string;
  /** Frame cadence; views apply at most one batch per animation frame anyway. */
  frameIntervalMs?: number;
  /** How often silent signals are checked for staleness. */
  staleCheckIntervalMs?: number;
  reconnectPolicy?: ReconnectPolicy;
  clock?: () => number;
  /** Told of every accepted sample, connection change and machine health change: the recorder's feed. */
  observer?: LiveObserver;
  /** Where unexpected errors are reported, with context (default stderr). */
  log?: (line: string) => void;
}

/** Receives what live saw, in the order and with the times live used. */
export interface LiveObserver {
  onSample(signalIndex: number, value: number, time: number): void;
  onConnection(brokerIndex: number, connected: boolean, time: number): void;
  onMachineHealth(machineIndex: number, health: number, time: number): void;
  /** What the sources say about their signals (units, engineering ranges), whole, whenever it changes. */
  onMetadata?(metadata: readonly SignalMetadata[], time: number): void;
}

const recentProblemLimit = 50;
/** Largest packet an MQTT 5 broker may send the host: bounds the memory one message can take before it is counted. */
const maxCountedPacketBytes = 16 * 1024 * 1024;
/** Room beside the payload in a packet: a topic of up to 64 KiB and MQTT 5 properties. */
const packetHeaderAllowance = 128 * 1024;

/**
 * Live telemetry: subscribes to the plant's brokers, decodes samples, keeps the latest value and
 * health of every signal and machine, and cuts per-frame batches of what changed.
 */
export class LiveSource implements TwinlineSource {
  private readonly plant: Plant;
  private readonly description: PlantDescription;
  private readonly brokers: BrokerEndpoint[];
  private readonly clock: () => number;
  private readonly frameIntervalMs: number;
  private readonly staleCheckIntervalMs: number;
  private readonly reconnectPolicy: ReconnectPolicy | undefined;

  private readonly rules: SignalRule[] = [];
  private readonly ruleStates: Array<SignalRuleState | undefined> = [];
  private readonly signalBroker: number[] = [];
  private readonly signalHealth: Uint8Array;
  private readonly machineSignals: number[][] = [];
  private readonly machineHealth: Uint8Array;
  /** Each broker's decoders, one per protocol its signals use. */
  private readonly decoders: MessageDecoder[][] = [];
  private readonly brokerConnected: boolean[] = [];
  private readonly connectionsList: BrokerConnection[] = [];
  /** The latest time given to a sample: sample times never run backwards, as the recording's never do. */
  private lastSampleTime = 0;
  /** The clock read once for the message being decoded; NaN between messages. */
  private messageTime = Number.NaN;
  private readonly maxClockSkewMs: number;

  private readonly dirtySignal: Uint8Array;
  private dirtyList: number[] = [];
  private readonly dirtyMachine: Uint8Array;
  private dirtyMachines: number[] = [];

  private readonly counters: Diagnostics;
  private readonly brokerCounters: BrokerDiagnostics[];
  private diagnosticsChanged = false;
  private readonly listeners: { [Stream in StreamName]: Set<(data: HostStreams[Stream]) => void> } = {
    frame: new Set(),
    connection: new Set(),
    diagnostics: new Set(),
    // Live has no player of its own; the per-view player (live or replay) publishes this stream.
    player: new Set(),
    // The view count comes from the server that holds the connections (withViewCount), never from here.
    views: new Set(),
    metadata: new Set(),
    // Alarms come from the host's alarm service, which follows this source's frames; never from here.
    alarms: new Set(),
    // Forecasts come from the host's forecast service, which hears this source's samples; never from here.
    forecast: new Set(),
    // Annotations come from the host's annotation service (withAnnotations); never from here.
    annotations: new Set(),
  };
  /** What the sources said about each signal, by signal index; changes go out with the next frame. */
  private readonly signalMetadata = new Map<number, SignalMetadata>();
  private metadataList: SignalMetadata[] = [];
  private metadataChanged = false;
  private timers: Array<ReturnType<typeof setInterval>> = [];
  private lastStaleCheck = 0;
  private readonly observer: LiveObserver | undefined;
  private readonly log: (line: string) => void;

  constructor(options: LiveSourceOptions) {
    this.plant = options.plant;
    this.clock = options.clock ?? Date.now;
    this.frameIntervalMs = options.frameIntervalMs ?? 33;
    this.staleCheckIntervalMs = options.staleCheckIntervalMs ?? 250;
    this.reconnectPolicy = options.reconnectPolicy;
    this.observer = options.observer;
    this.log = options.log ?? ((line) => console.error(line));
    const urls = { ...(options.defaultBrokerUrl === undefined ? {} : { '': options.defaultBrokerUrl }), ...options.brokerUrls };
    const { brokers: resolved, missing } = resolveBrokers(this.plant, urls, options.plantDirectory);
    // Payloads over the plant's limit are still taken and counted as oversize up to 16 MiB; beyond that an MQTT 5 broker never sends them.
    const maxPacketBytes = Math.max(maxCountedPacketBytes, this.plant.maxPayloadBytes + packetHeaderAllowance);
    const brokers = resolved.map((broker) => ({ ...broker, maxPacketBytes }));
    if (missing.length > 0) throw new Error(`No URL for broker ${missing.join(', ')}: give it in the plant file or as --broker ${missing[0]}=mqtt://HOST:PORT`);
    this.brokers = brokers;
    this.maxClockSkewMs = this.plant.maxClockSkew * 1000;
    // The brokers resolve in the plant's order, the one the signal order numbers them by.
    const order = signalOrder(this.plant);
    const topicSignals: Array<Array<{ signalIndex: number; signal: Signal }>> = this.brokers.map(() => []);
    const sparkplugSignals: Array<Array<{ signalIndex: number; binding: SparkplugBinding; states: Signal['states']; scale: number; offset: number }>> = this.brokers.map(() => []);
    order.signals.forEach((signal, signalIndex) => {
      this.rules.push(ruleForSignal(signal));
      this.ruleStates.push(undefined);
      const broker = order.brokerOf[signalIndex]!;
      this.signalBroker.push(broker);
      if (signal.sparkplug !== undefined) sparkplugSignals[broker]!.push({ signalIndex, binding: signal.sparkplug, states: signal.states, scale: signal.scale, offset: signal.offset });
      else topicSignals[broker]!.push({ signalIndex, signal });
    });
    this.brokerCounters = this.brokers.map((broker) => ({ brokerId: broker.id, messagesReceived: 0, samplesAccepted: 0, problemCounts: emptyProblemCounts(), clockSkewed: 0 }));
    this.brokers.forEach((broker, brokerIndex) => {
      this.brokerConnected.push(false);
      const sink = this.sinkFor(brokerIndex);
      const qos = broker.session?.qos ?? (broker.session?.persistent ? 1 : 0);
      const decoders: MessageDecoder[] = [];
      const json = new JsonTopicDecoder(topicSignals[brokerIndex]!, sink, qos);
      if (!json.empty) decoders.push(json);
      if (sparkplugSignals[brokerIndex]!.length > 0) {
        const connection = () => this.connectionsList[brokerIndex];
        decoders.push(
          new SparkplugHostApplication({
            settings: broker.sparkplug ?? brokerSparkplugSchema.parse({}),
            bindings: sparkplugSignals[brokerIndex]!,
            qos,
            sink,
            publisher: { publish: (topic, payload, options) => connection()?.publish(topic, payload, options) ?? false },
            clock: this.clock,
            log: this.log,
          }),
        );
      }
      this.decoders.push(decoders);
    });
    this.machineSignals.push(...order.machineSignals);
    const signalKeys = order.keys;
    const signalMachine = order.machineOf;
    const signalCount = signalKeys.length;
    this.signalHealth = new Uint8Array(signalCount).fill(Health.offline);
    this.dirtySignal = new Uint8Array(signalCount);
    this.machineHealth = new Uint8Array(this.plant.machines.length);
    this.dirtyMachine = new Uint8Array(this.plant.machines.length);
    this.machineSignals.forEach((_, machineIndex) => (this.machineHealth[machineIndex] = this.computeMachineHealth(machineIndex)));
    this.description = {
      // Views never need broker credentials; they stay in the host.
      plant: redactPlant(this.plant),
      signalKeys,
      signalMachine,
      modelsBaseUrl: options.modelsBaseUrl ?? 'models/',
      sourceLabel: options.sourceLabel ?? this.plant.name,
    };
    this.counters = { messagesReceived: 0, samplesAccepted: 0, problemCounts: emptyProblemCounts(), recentProblems: [], brokers: this.brokerCounters };
  }

  /** What a broker's decoders report into: samples, lost sources and problems, counted for that broker. */
  private sinkFor(brokerIndex: number): SampleSink {
    return {
      sample: (signalIndex, value, sourceTime) => this.acceptSample(brokerIndex, signalIndex, value, sourceTime),
      lost: (signalIndices) => {
        const now = this.clock();
        const time = this.admitTime(now);
        for (const index of signalIndices) this.applyValue(index, sourceLostValue, time, brokerIndex, now);
      },
      problem: (kind, topic, detail) => this.problem(kind, brokerIndex, topic, detail),
      describe: (signalIndex, description) => this.describeSignal(signalIndex, description),
    };
  }

  /** Connects to the brokers and starts cutting frames. */
  start(): void {
    this.brokers.forEach((broker, brokerIndex) => {
      const decoders = this.decoders[brokerIndex]!;
      const connection = new BrokerConnection(broker, {
        subscriptions: decoders.flatMap((decoder) => decoder.subscriptions()),
        will: () => {
          for (const decoder of decoders) {
            const will = decoder.will?.();
            if (will) return will;
          }
          return undefined;
        },
        events: {
          onMessage: (topic, payload) => {
            // Inline rather than through guard(): this runs for every message, and a closure each would be garbage.
            try {
              this.ingest(brokerIndex, topic, payload);
            } catch (error) {
              this.report(error, `taking a message on ${topic.slice(0, 200)} from broker ${broker.id}`);
            }
          },
          onStatus: (status) => this.guard(() => this.applyBrokerStatus(brokerIndex, status), `broker ${broker.id} changing state`),
          onConnected: () => {
            for (const decoder of decoders) this.guard(() => decoder.onConnected?.(), `starting a session with broker ${broker.id}`);
          },
        },
        policy: this.reconnectPolicy,
      });
      this.connectionsList.push(connection);
      connection.start();
    });
    this.timers.push(setInterval(() => this.guard(() => this.flush(), 'cutting a frame'), this.frameIntervalMs));
    this.timers.push(setInterval(() => this.guard(() => this.publishDiagnostics(), 'publishing diagnostics'), 1000));
  }

  /**
   * Runs one piece of work from a timer or a broker event, the boundaries of the ingest loop: an
   * error there is reported with what was being done and ends only that piece, never the host.
   */
  private guard(work: () => void, what: string): void {
    try {
      work();
    } catch (error) {
      this.report(error, what);
    }
  }

  private report(error: unknown, what: string): void {
    this.log(`Twinline: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  /** Hands data to every listener of a stream; one that throws is reported and the others still get it. */
  private deliver<Stream extends StreamName>(stream: Stream, data: HostStreams[Stream]): void {
    for (const listener of this.listeners[stream] as Set<(data: HostStreams[Stream]) => void>) {
      try {
        listener(data);
      } catch (error) {
        this.report(error, `delivering a ${stream} event`);
      }
    }
  }

  /** Disconnects and stops all timers. */
  async stop(): Promise<void> {
    this.timers.forEach(clearInterval);
    this.timers = [];
    for (const decoders of this.decoders) for (const decoder of decoders) this.guard(() => decoder.stop?.(), 'stopping a decoder');
    await Promise.all(this.connectionsList.map((connection) => connection.stop()));
  }

  describePlant(): PlantDescription {
    return this.description;
  }

  /** The host's clock: the moment live shows. */
  now(): number {
    return this.clock();
  }

  snapshot(): FrameBatch {
    this.refreshHealth(this.clock());
    const signalCount = this.rules.length;
    const frame: FrameBatch = emptyFrame(this.clock(), true);
    for (let index = 0; index < signalCount; index++) this.appendSignal(frame, index);
    // Computed afresh rather than read from the last frame, so a snapshot is exact at its time;
    // the stored values stay as they were, so subscribers still get the change in the next frame.
    for (let index = 0; index < this.machineHealth.length; index++) appendFrameMachine(frame, index, this.computeMachineHealth(index));
    return frame;
  }

  connections(): ConnectionStatus[] {
    return this.connectionsList.map((connection) => connection.status());
  }

  diagnostics(): Diagnostics {
    return structuredClone(this.counters);
  }

  /** Every signal a source has said something about, in signal order. */
  metadata(): SignalMetadata[] {
    return this.metadataList;
  }

  subscribe<Stream extends StreamName>(stream: Stream, listener: (data: HostStreams[Stream]) => void): () => void {
    const set = this.listeners[stream] as Set<(data: HostStreams[Stream]) => void>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Takes one MQTT message; public so that benchmarks and tests can feed the same path without a socket. */
  ingest(brokerIndex: number, topic: string, payload: Uint8Array): void {
    this.counters.messagesReceived++;
    const counters = this.brokerCounters[brokerIndex];
    if (!counters) return;
    counters.messagesReceived++;
    if (payload.byteLength > this.plant.maxPayloadBytes) {
      return this.problem('oversizePayload', brokerIndex, topic, `${payload.byteLength} bytes, over the limit of ${this.plant.maxPayloadBytes}`);
    }
    this.messageTime = this.clock();
    try {
      for (const decoder of this.decoders[brokerIndex]!) if (decoder.ingest(topic, payload)) return;
    } finally {
      this.messageTime = Number.NaN;
    }
    this.problem('unknownTopic', brokerIndex, topic, 'no signal in the plant file has this topic');
  }

  /** A decoded sample: its time guarded against clock skew, then applied as live shows and records it. */
  private acceptSample(brokerIndex: number, signalIndex: number, value: number, sourceTime: number | undefined): void {
    // One clock reading per message however many samples it carries; a sample from a timer (a Sparkplug reorder release) reads its own.
    const now = Number.isNaN(this.messageTime) ? this.clock() : this.messageTime;
    let time = now;
    if (sourceTime !== undefined) {
      // A timestamp from a clock that is far off says nothing about when the value was true.
      if (Math.abs(sourceTime - now) > this.maxClockSkewMs) this.brokerCounters[brokerIndex]!.clockSkewed++;
      else time = Math.min(sourceTime, now);
    }
    this.counters.samplesAccepted++;
    this.brokerCounters[brokerIndex]!.samplesAccepted++;
    this.applyValue(signalIndex, value, this.admitTime(time), brokerIndex, now);
  }

  /** A source's word on a signal's unit and range: bounded, kept when it changed, sent with the next frame. */
  private describeSignal(signalIndex: number, description: SignalDescription): void {
    if (signalIndex < 0 || signalIndex >= this.rules.length) return;
    const metadata = boundSignalMetadata(signalIndex, description);
    if (sameSignalMetadata(metadata, this.signalMetadata.get(signalIndex))) return;
    if (metadata) this.signalMetadata.set(signalIndex, metadata);
    else this.signalMetadata.delete(signalIndex);
    this.metadataChanged = true;
  }

  /** Hands changed metadata on whole, once per frame however many births changed it. */
  private publishMetadata(now: number): void {
    this.metadataChanged = false;
    this.metadataList = [...this.signalMetadata.values()].sort((first, second) => first.signal - second.signal);
    this.observer?.onMetadata?.(this.metadataList, now);
    this.deliver('metadata', this.metadataList);
  }

  /** Sample times never run backwards, as the recording's do not: replay must see what live saw. */
  private admitTime(time: number): number {
    const at = Math.max(Math.round(time), this.lastSampleTime);
    this.lastSampleTime = at;
    return at;
  }

  private applyValue(index: number, value: number, time: number, brokerIndex: number, now: number): void {
    const rule = this.rules[index];
    if (!rule) return;
    this.ruleStates[index] = applySample(this.ruleStates[index], rule.limits, value, time);
    this.observer?.onSample(index, value, time);
    this.setSignalHealth(index, signalHealthAt(this.ruleStates[index], rule, now, this.brokerConnected[brokerIndex]!));
    this.markSignal(index);
  }

  /** Cuts a frame of everything changed since the last one and hands it to frame listeners. */
  flush(): void {
    const now = this.clock();
    if (now - this.lastStaleCheck >= this.staleCheckIntervalMs) this.refreshHealth(now);
    if (this.metadataChanged) this.publishMetadata(now);
    if (this.dirtyList.length === 0 && this.dirtyMachines.length === 0) return;
    const frame = emptyFrame(now, false);
    for (const index of this.dirtyList) {
      this.dirtySignal[index] = 0;
      this.appendSignal(frame, index);
    }
    this.dirtyList = [];
    for (const machine of this.dirtyMachines) {
      this.dirtyMachine[machine] = 0;
      const health = this.computeMachineHealth(machine);
      if (health !== this.machineHealth[machine]) {
        this.machineHealth[machine] = health;
        this.observer?.onMachineHealth(machine, health, now);
        appendFrameMachine(frame, machine, health);
      }
    }
    this.dirtyMachines = [];
    this.deliver('frame', frame);
  }

  /** Re-evaluates every signal at `now`: staleness and matured on-delays need no new sample. */
  private refreshHealth(now: number): void {
    this.lastStaleCheck = now;
    for (let index = 0; index < this.rules.length; index++) {
      const health = signalHealthAt(this.ruleStates[index], this.rules[index]!, now, this.brokerConnected[this.signalBroker[index]!]!);
      if (health !== this.signalHealth[index]) {
        this.setSignalHealth(index, health);
        this.markSignal(index);
      }
    }
  }

  private appendSignal(frame: FrameBatch, index: number): void {
    const state = this.ruleStates[index];
    appendFrameSignal(frame, index, state ? state.value : 0, state ? state.sampleTime : 0, this.signalHealth[index]!);
  }

  private setSignalHealth(index: number, health: HealthCode): void {
    if (this.signalHealth[index] === health) return;
    this.signalHealth[index] = health;
    const machine = this.description.signalMachine[index]!;
    if (this.dirtyMachine[machine] === 0) {
      this.dirtyMachine[machine] = 1;
      this.dirtyMachines.push(machine);
    }
  }

  private markSignal(index: number): void {
    if (this.dirtySignal[index] === 0) {
      this.dirtySignal[index] = 1;
      this.dirtyList.push(index);
    }
  }

  private computeMachineHealth(machine: number): HealthCode {
    const signals = this.machineSignals[machine]!;
    if (signals.length === 0) return Health.unknown;
    let worst = this.signalHealth[signals[0]!] as HealthCode;
    for (let position = 1; position < signals.length; position++) worst = worseHealth(worst, this.signalHealth[signals[position]!] as HealthCode);
    return worst;
  }

  /** Takes a broker's new status; public so that tests and replays of scripted sessions can drive it. */
  applyBrokerStatus(brokerIndex: number, status: ConnectionStatus): void {
    const connected = status.state === 'connected';
    const now = this.clock();
    if (connected !== this.brokerConnected[brokerIndex]) {
      this.observer?.onConnection(brokerIndex, connected, now);
      if (!connected) for (const decoder of this.decoders[brokerIndex] ?? []) this.guard(() => decoder.onDisconnected?.(), 'ending a broker session');
    }
    this.brokerConnected[brokerIndex] = connected;
    this.refreshHealth(now);
    const all = this.connections();
    this.deliver('connection', all);
  }

  private problem(kind: ProblemKind, brokerIndex: number, topic: string, detail: string): void {
    this.counters.problemCounts[kind]++;
    const counters = this.brokerCounters[brokerIndex];
    if (counters) counters.problemCounts[kind]++;
    const entry: IngestProblem = { time: this.clock(), kind, brokerId: this.brokers[brokerIndex]?.id ?? '?', topic: topic.slice(0, 200), detail };
    this.counters.recentProblems.push(entry);
    if (this.counters.recentProblems.length > recentProblemLimit) this.counters.recentProblems.shift();
    this.diagnosticsChanged = true;
  }

  private publishDiagnostics(): void {
    if (!this.diagnosticsChanged && this.counters.messagesReceived === 0) return;
    this.diagnosticsChanged = false;
    const snapshot = this.diagnostics();
    this.deliver('diagnostics', snapshot);
  }
}
