import { compileSampleReader } from '../../common/decode-sample.ts';
import type { BrokerSparkplug, SparkplugBinding } from '../../common/plant-schema.ts';
import type { Subscription, WillMessage } from '../broker-connection.ts';
import type { BrokerPublisher, MessageDecoder } from '../message-decoder.ts';
import type { SampleSink } from '../sample-sink.ts';
import { readEngineeringProperties, type EngineeringProperties } from './sparkplug-metric-properties.ts';
import { readMetricSample, type MetricReader } from './sparkplug-metric-value.ts';
import { decodeSparkplugPayload, encodeSparkplugPayload, exactInteger, approximateNumber, hasField, type SparkplugMetric, type SparkplugPayload } from './sparkplug-payload-codec.ts';
import { edgeTopic, parseSparkplugTopic, sparkplugNamespace, stateTopic, type SparkplugMessageType } from './sparkplug-topic.ts';

/** One Sparkplug-bound signal: where its metric comes from and how its value is read. */
export interface SparkplugSignalBinding {
  signalIndex: number;
  binding: SparkplugBinding;
  /** The signal's text values and the numbers they stand for. */
  states?: Readonly<Record<string, number>> | undefined;
  scale?: number;
  offset?: number;
}

/** How a Sparkplug host application is set up on one broker. */
export interface SparkplugHostOptions {
  /** The broker's `sparkplug` settings, defaults filled in. */
  settings: BrokerSparkplug;
  /** This broker's Sparkplug-bound signals with their index in the signal order. */
  bindings: ReadonlyArray<SparkplugSignalBinding>;
  sink: SampleSink;
  publisher: BrokerPublisher;
  /** QoS of the namespace subscriptions (the broker's session QoS); STATE is always QoS 1. */
  qos?: 0 | 1;
  clock?: () => number;
  /** Where unexpected errors in its timers are reported. */
  log?: (line: string) => void;
}

/** Most metrics read from one payload; the rest are counted and ignored. */
export const maxMetricsPerPayload = 10_000;
/** Most messages held per edge node while a gap in `seq` stays open (below the 127 that `seq`'s ring can tell apart). */
export const maxReorderMessages = 100;
/** Most payload bytes held per edge node while a gap in `seq` stays open. */
export const maxReorderBytes = 4 * 1024 * 1024;
/** Longest STATE payload read: `{"online":false,"timestamp":…}` is about 45 bytes. */
const maxStateBytes = 1024;

/** A metric its birth defined, as data messages find it by alias. */
interface MetricDefinition {
  datatype: number | undefined;
  /** The signal bound to it, if any. */
  target: Target | undefined;
}

interface Target {
  signalIndex: number;
  reader: MetricReader;
  /** What the metric's properties last said of its unit and range (in the metric's own units, before scale and offset). */
  engineering: EngineeringProperties;
}

/** The metrics of an edge node itself, or of one of its devices. */
interface Scope {
  /** Bound signals by metric name. */
  readonly targets: Map<string, Target>;
  readonly signalIndices: number[];
  born: boolean;
  /** This birth's metrics by alias. */
  aliases: Map<number, MetricDefinition>;
  /** This birth's datatypes by metric name, for data that names a metric and leaves its datatype out. */
  datatypes: Map<string, number | undefined>;
}

interface HeldMessage {
  type: SparkplugMessageType;
  device: string | undefined;
  topic: string;
  payload: SparkplugPayload;
  bytes: number;
}

/** What the host knows of one edge node whose metrics the plant binds. */
interface EdgeNode {
  readonly group: string;
  readonly node: string;
  readonly self: Scope;
  /** Bound devices only: messages of other devices still count in `seq`. */
  readonly devices: Map<string, Scope>;
  /** The NBIRTH's bdSeq, which its NDEATH must match. */
  bdSeq: number | undefined;
  /** The `seq` the next message must carry; undefined before NBIRTH. */
  expectedSeq: number | undefined;
  /** Messages that came early, by `seq`, while an earlier one is missing. */
  held: Map<number, HeldMessage>;
  heldBytes: number;
  reorderTimer: ReturnType<typeof setTimeout> | undefined;
  /** A Rebirth was requested: the node's data is ignored until its NBIRTH. */
  awaitingRebirth: boolean;
  lastRebirthRequest: number;
}

/**
 * A Sparkplug B 3.0 host application on one broker: announces itself on its STATE topic, follows
 * the births, data and deaths of the edge nodes and devices whose metrics the plant binds, keeps
 * their messages in `seq` order, asks for a rebirth when a gap stays open, and hands samples,
 * bad quality and lost sources to the sink.
 */
export class SparkplugHostApplication implements MessageDecoder {
  private readonly options: SparkplugHostOptions;
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  private readonly nodes = new Map<string, EdgeNode>();
  private readonly groups: string[];
  private readonly ownStateTopic: string;
  private readonly rebirthEnabled: boolean;
  /** The timestamp of the current connection's STATE will, which its online STATE repeats. */
  private sessionTimestamp: number | undefined;
  private connected = false;

  constructor(options: SparkplugHostOptions) {
    this.options = options;
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? ((line) => console.error(line));
    this.ownStateTopic = stateTopic(options.settings.hostId);
    this.rebirthEnabled = options.settings.rebirth ?? options.settings.primary;
    for (const { signalIndex, binding, states, scale, offset } of options.bindings) {
      const key = nodeKey(binding.group, binding.node);
      let node = this.nodes.get(key);
      if (!node) {
        node = {
          group: binding.group,
          node: binding.node,
          self: emptyScope(),
          devices: new Map(),
          bdSeq: undefined,
          expectedSeq: undefined,
          held: new Map(),
          heldBytes: 0,
          reorderTimer: undefined,
          awaitingRebirth: false,
          lastRebirthRequest: Number.NEGATIVE_INFINITY,
        };
        this.nodes.set(key, node);
      }
      let scope = node.self;
      if (binding.device !== undefined) {
        scope = node.devices.get(binding.device) ?? emptyScope();
        node.devices.set(binding.device, scope);
      }
      const reader: MetricReader = compileSampleReader({ states, scale, offset });
      scope.targets.set(binding.metric, { signalIndex, reader, engineering: {} });
      scope.signalIndices.push(signalIndex);
    }
    this.groups = [...new Set([...this.nodes.values()].map((node) => node.group))];
  }

  subscriptions(): Subscription[] {
    const qos = this.options.qos ?? 0;
    return [...this.groups.map((group) => ({ topic: `${sparkplugNamespace}/${group}/#`, qos })), { topic: this.ownStateTopic, qos: 1 }];
  }

  /** The STATE death for a new connection: offline, retained, QoS 1, with the timestamp its birth will repeat. */
  will(): WillMessage {
    this.sessionTimestamp = this.clock();
    return { topic: this.ownStateTopic, payload: statePayload(false, this.sessionTimestamp), qos: 1, retain: true };
  }

  /** Subscribed: the STATE birth, with the will's timestamp. Every node must be born again in this session. */
  onConnected(): void {
    this.connected = true;
    this.endSessions();
    this.publishOnline();
  }

  onDisconnected(): void {
    this.connected = false;
    // Sparkplug 3.0: without its broker the host knows nothing current; every born node's values are stale until its next birth.
    const lost = [...this.nodes.values()].filter((node) => node.self.born).flatMap(nodeSignals);
    if (lost.length > 0) this.options.sink.lost(lost);
    this.endSessions();
  }

  stop(): void {
    this.connected = false;
    this.endSessions();
  }

  ingest(topic: string, payload: Uint8Array): boolean {
    if (!topic.startsWith(`${sparkplugNamespace}/`)) return false;
    const parsed = parseSparkplugTopic(topic);
    if (parsed === undefined) {
      this.options.sink.problem('unknownTopic', topic, 'not a Sparkplug B topic');
      return true;
    }
    if (parsed.kind === 'state') {
      if (topic === this.ownStateTopic) this.takeOwnState(payload);
      return true;
    }
    // Commands are for edge nodes (our own Rebirth requests come back through the wildcard).
    if (parsed.type === 'NCMD' || parsed.type === 'DCMD') return true;
    const node = this.nodes.get(nodeKey(parsed.group, parsed.node));
    // Nodes the plant binds nothing of arrive through the group's wildcard: not a problem.
    if (!node) return true;
    const decoded = decodeSparkplugPayload(payload);
    if (!decoded.ok) {
      this.options.sink.problem('malformedPayload', topic, decoded.detail);
      return true;
    }
    const message: HeldMessage = { type: parsed.type, device: parsed.device, topic, payload: decoded.payload, bytes: payload.byteLength };
    if (parsed.type === 'NBIRTH') this.nodeBirth(node, message);
    else if (parsed.type === 'NDEATH') this.nodeDeath(node, message);
    else this.sequenced(node, message);
    return true;
  }

  /** Someone says this host is offline while it is connected (a stale will, a forged message): say otherwise. */
  private takeOwnState(payload: Uint8Array): void {
    if (!this.connected || payload.byteLength > maxStateBytes) return;
    let state: unknown;
    try {
      state = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
    } catch {
      // Not ours to judge: only an offline claim about this session calls for an answer.
      return;
    }
    if (state === null || typeof state !== 'object') return;
    const { online, timestamp } = state as { online?: unknown; timestamp?: unknown };
    // The previous connection's will (an older timestamp) arrives retained right after subscribing.
    if (online === false && typeof timestamp === 'number' && this.sessionTimestamp !== undefined && timestamp >= this.sessionTimestamp) this.publishOnline();
  }

  private publishOnline(): void {
    this.sessionTimestamp ??= this.clock();
    this.options.publisher.publish(this.ownStateTopic, statePayload(true, this.sessionTimestamp), { qos: 1, retain: true });
  }

  /** A new MQTT session: births seen in the previous one no longer hold. */
  private endSessions(): void {
    for (const node of this.nodes.values()) this.resetNode(node);
  }

  private resetNode(node: EdgeNode): void {
    clearTimeout(node.reorderTimer);
    node.reorderTimer = undefined;
    node.held.clear();
    node.heldBytes = 0;
    node.expectedSeq = undefined;
    node.awaitingRebirth = false;
    node.self.born = false;
    clearDefinitions(node.self);
    for (const device of node.devices.values()) {
      device.born = false;
      clearDefinitions(device);
    }
  }

  private nodeBirth(node: EdgeNode, message: HeldMessage): void {
    const seq = readSeq(message.payload);
    if (seq === undefined) {
      this.options.sink.problem('malformedPayload', message.topic, 'NBIRTH without a seq of 0–255');
      return;
    }
    this.resetNode(node);
    node.bdSeq = readBdSeq(message.payload);
    node.expectedSeq = (seq + 1) % 256;
    node.self.born = true;
    this.define(node.self, message);
  }

  private nodeDeath(node: EdgeNode, message: HeldMessage): void {
    const bdSeq = readBdSeq(message.payload);
    // A death that does not match the current birth is an old connection's will arriving late.
    if (!node.self.born || bdSeq !== node.bdSeq) return;
    const lost = nodeSignals(node);
    this.resetNode(node);
    if (lost.length > 0) this.options.sink.lost(lost);
  }

  /** Every message but NBIRTH and NDEATH carries the node's `seq`: applied in its order, early ones held until a gap closes. */
  private sequenced(node: EdgeNode, message: HeldMessage): void {
    if (node.awaitingRebirth) {
      // The request may have been lost: asked again, at most once per reorder timeout.
      this.requestRebirth(node, 'still waiting for the rebirth it was asked for');
      return;
    }
    if (!node.self.born || node.expectedSeq === undefined) {
      this.options.sink.problem('dataBeforeBirth', message.topic, `${message.type} before the node's NBIRTH`);
      this.requestRebirth(node, 'data before its birth');
      return;
    }
    const seq = readSeq(message.payload);
    if (seq === undefined) {
      this.options.sink.problem('malformedPayload', message.topic, `${message.type} without a seq of 0–255`);
      return;
    }
    const ahead = (seq - node.expectedSeq + 256) % 256;
    if (ahead === 0) {
      this.apply(node, message);
      node.expectedSeq = (seq + 1) % 256;
      this.releaseHeld(node);
      return;
    }
    // More than half the ring behind: a duplicate or a message older than the gap; nothing to apply.
    if (ahead >= 128 || node.held.has(seq)) return;
    node.held.set(seq, message);
    node.heldBytes += message.bytes;
    if (node.held.size > maxReorderMessages || node.heldBytes > maxReorderBytes) {
      this.gapExpired(node);
      return;
    }
    if (node.reorderTimer === undefined) {
      const timeoutMs = this.options.settings.reorderTimeout * 1000;
      node.reorderTimer = setTimeout(() => {
        node.reorderTimer = undefined;
        try {
          this.gapExpired(node);
        } catch (error) {
          this.log(`Twinline: closing a seq gap of Sparkplug node ${node.group}/${node.node} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
      }, timeoutMs);
    }
  }

  /** Applies held messages that follow on without a gap; the timer stops once nothing is held. */
  private releaseHeld(node: EdgeNode): void {
    while (node.expectedSeq !== undefined && node.held.has(node.expectedSeq)) {
      const next = node.held.get(node.expectedSeq)!;
      node.held.delete(node.expectedSeq);
      node.heldBytes -= next.bytes;
      node.expectedSeq = (node.expectedSeq + 1) % 256;
      this.apply(node, next);
    }
    if (node.held.size === 0) {
      clearTimeout(node.reorderTimer);
      node.reorderTimer = undefined;
    }
  }

  /**
   * The missing message did not come in time (or too much piled up meanwhile). With rebirth on, the
   * node is asked for a new birth and its data is ignored until then; otherwise the gap is skipped
   * and the held messages are applied in order.
   */
  private gapExpired(node: EdgeNode): void {
    clearTimeout(node.reorderTimer);
    node.reorderTimer = undefined;
    if (node.expectedSeq === undefined) return;
    const expected = node.expectedSeq;
    const held = [...node.held.entries()].sort(([first], [second]) => ((first - expected + 256) % 256) - ((second - expected + 256) % 256));
    node.held.clear();
    node.heldBytes = 0;
    if (this.rebirthEnabled) {
      if (this.requestRebirth(node, `message ${expected} of seq did not arrive within ${this.options.settings.reorderTimeout} s`)) {
        node.awaitingRebirth = true;
        // Its data is ignored from now on, so its last values are no longer current.
        const lost = nodeSignals(node);
        if (lost.length > 0) this.options.sink.lost(lost);
      }
      return;
    }
    for (const [seq, message] of held) {
      node.expectedSeq = (seq + 1) % 256;
      this.apply(node, message);
    }
  }

  /** Publishes NCMD Node Control/Rebirth when rebirth is on, at most once per reorder timeout per node; returns whether it went out. */
  private requestRebirth(node: EdgeNode, reason: string): boolean {
    if (!this.rebirthEnabled || !this.connected) return false;
    const now = this.clock();
    if (now - node.lastRebirthRequest < this.options.settings.reorderTimeout * 1000) return false;
    const payload = encodeSparkplugPayload({ timestamp: now, metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] });
    const sent = this.options.publisher.publish(edgeTopic(node.group, 'NCMD', node.node), payload, { qos: 0, retain: false });
    if (sent) {
      node.lastRebirthRequest = now;
      this.log(`Twinline: asked Sparkplug node ${node.group}/${node.node} for a rebirth: ${reason}`);
    }
    return sent;
  }

  /** A message in `seq` order: DBIRTH, DDEATH, NDATA or DDATA. */
  private apply(node: EdgeNode, message: HeldMessage): void {
    if (message.type === 'NDATA') {
      this.update(node.self, message);
      return;
    }
    const device = message.device === undefined ? undefined : node.devices.get(message.device);
    // A device the plant binds nothing of still counts in seq, and is otherwise none of our business.
    if (!device) return;
    if (message.type === 'DBIRTH') {
      device.born = true;
      clearDefinitions(device);
      this.define(device, message);
    } else if (message.type === 'DDEATH') {
      if (!device.born) return;
      device.born = false;
      clearDefinitions(device);
      if (device.signalIndices.length > 0) this.options.sink.lost(device.signalIndices);
    } else if (message.type === 'DDATA') {
      if (!device.born) {
        this.options.sink.problem('dataBeforeBirth', message.topic, 'DDATA before the device\'s DBIRTH');
        this.requestRebirth(node, `data of device ${message.device} before its birth`);
        return;
      }
      this.update(device, message);
    }
  }

  /** A birth: each metric's name, alias and datatype, and its current value. */
  private define(scope: Scope, message: HeldMessage): void {
    const payloadTime = payloadTimestamp(message.payload);
    for (const metric of this.metricsOf(message)) {
      if (!hasField(metric, 'name') || typeof metric.name !== 'string') {
        this.options.sink.problem('missingField', message.topic, 'a birth metric without a name');
        continue;
      }
      const datatype = hasField(metric, 'datatype') ? (metric.datatype ?? undefined) : undefined;
      const target = scope.targets.get(metric.name);
      const alias = hasField(metric, 'alias') ? exactInteger(metric.alias) : undefined;
      if (alias !== undefined) scope.aliases.set(alias, { datatype, target });
      if (!target) continue;
      scope.datatypes.set(metric.name, datatype);
      // A birth says everything about a metric: properties it leaves out are no longer given.
      this.describe(target, readEngineeringProperties(metric) ?? {}, true);
      this.sample(target, metric, datatype, payloadTime, message.topic);
    }
  }

  /** Data: metrics by alias or by name, read with their birth's datatype when they leave it out. */
  private update(scope: Scope, message: HeldMessage): void {
    const payloadTime = payloadTimestamp(message.payload);
    for (const metric of this.metricsOf(message)) {
      let target: Target | undefined;
      let datatype: number | undefined;
      if (hasField(metric, 'alias')) {
        const alias = exactInteger(metric.alias);
        const definition = alias === undefined ? undefined : scope.aliases.get(alias);
        if (!definition) {
          this.options.sink.problem('unknownAlias', message.topic, `alias ${String(approximateNumber(metric.alias))} is not in the birth`);
          continue;
        }
        target = definition.target;
        datatype = definition.datatype;
      } else if (hasField(metric, 'name') && typeof metric.name === 'string') {
        target = scope.targets.get(metric.name);
        datatype = scope.datatypes.get(metric.name);
      } else {
        this.options.sink.problem('missingField', message.topic, 'a metric with neither name nor alias');
        continue;
      }
      if (!target) continue;
      if (hasField(metric, 'datatype') && metric.datatype !== null && metric.datatype !== undefined) datatype = metric.datatype;
      // Data may change a property; one it leaves out stays as its birth (or a later message) gave it.
      const engineering = readEngineeringProperties(metric);
      if (engineering) this.describe(target, engineering, false);
      this.sample(target, metric, datatype, payloadTime, message.topic);
    }
  }

  /**
   * Tells the sink what the metric's properties say of the signal's unit and range, when that changed.
   * The range is given in the metric's units, so it goes through the signal's scale and offset as its
   * values do; the unit is passed as it is (a plant file that scales usually names the unit too, and its unit wins).
   */
  private describe(target: Target, given: EngineeringProperties, replace: boolean): void {
    const next: EngineeringProperties = replace ? { ...given } : { ...target.engineering, ...given };
    const previous = target.engineering;
    if (next.unit === previous.unit && next.low === previous.low && next.high === previous.high) return;
    target.engineering = next;
    const { scale, offset } = target.reader;
    const ends = [next.low, next.high].map((end) => (end === undefined ? undefined : end * scale + offset));
    // A negative scale turns the range round.
    const [low, high] = scale < 0 ? [ends[1], ends[0]] : ends;
    this.options.sink.describe?.(target.signalIndex, { unit: next.unit, low, high });
  }

  private sample(target: Target, metric: SparkplugMetric, datatype: number | undefined, payloadTime: number | undefined, topic: string): void {
    const result = readMetricSample(metric, datatype, payloadTime, target.reader);
    if (result.ok) this.options.sink.sample(target.signalIndex, result.value, result.sourceTime);
    else this.options.sink.problem(result.kind, topic, result.detail);
  }

  /** The payload's metrics, at most `maxMetricsPerPayload` of them. */
  private metricsOf(message: HeldMessage): SparkplugMetric[] {
    const metrics = message.payload.metrics ?? [];
    if (metrics.length <= maxMetricsPerPayload) return metrics;
    this.options.sink.problem('malformedPayload', message.topic, `${metrics.length} metrics, over the limit of ${maxMetricsPerPayload}: the rest are ignored`);
    return metrics.slice(0, maxMetricsPerPayload);
  }
}

function emptyScope(): Scope {
  return { targets: new Map(), signalIndices: [], born: false, aliases: new Map(), datatypes: new Map() };
}

/** The signals bound to a node's own metrics and to its devices'. */
function nodeSignals(node: EdgeNode): number[] {
  return [...node.self.signalIndices, ...[...node.devices.values()].flatMap((device) => device.signalIndices)];
}

function clearDefinitions(scope: Scope): void {
  scope.aliases = new Map();
  scope.datatypes = new Map();
}

function nodeKey(group: string, node: string): string {
  return `${group}\u0000${node}`;
}

function statePayload(online: boolean, timestamp: number): string {
  return JSON.stringify({ online, timestamp });
}

/** The payload's `seq`, when it has one within 0–255. */
function readSeq(payload: SparkplugPayload): number | undefined {
  if (!hasField(payload, 'seq')) return undefined;
  const seq = exactInteger(payload.seq);
  return seq !== undefined && seq >= 0 && seq <= 255 ? seq : undefined;
}

/** The value of the `bdSeq` metric that ties an NBIRTH to its NDEATH. */
function readBdSeq(payload: SparkplugPayload): number | undefined {
  const metric = (payload.metrics ?? []).find((candidate) => candidate.name === 'bdSeq');
  if (!metric) return undefined;
  if (hasField(metric, 'longValue')) return exactInteger(metric.longValue);
  if (hasField(metric, 'intValue')) return exactInteger(metric.intValue);
  return undefined;
}

function payloadTimestamp(payload: SparkplugPayload): number | undefined {
  return hasField(payload, 'timestamp') ? approximateNumber(payload.timestamp) : undefined;
}
