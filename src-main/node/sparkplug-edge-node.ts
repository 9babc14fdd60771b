import mqtt, { type MqttClient } from 'mqtt';
import type { Plant } from '../common/plant-schema.ts';
import type { BrokerEndpoint } from '../common/resolve-brokers.ts';
import { decodeSparkplugPayload, encodeSparkplugPayload, type SparkplugMetricInput } from './sparkplug/sparkplug-payload-codec.ts';
import { edgeTopic, stateTopic } from './sparkplug/sparkplug-topic.ts';

/** One metric an edge node publishes: its name, the device it belongs to (none: the node's own), and where its value comes from. */
export interface EdgeNodeMetric {
  name: string;
  device?: string;
  /** The value now; undefined leaves the metric out (a silent machine). */
  read(now: number): number | undefined;
  /** Engineering unit and range the birth announces as the metric's properties, as real edge nodes do. */
  engineering?: { unit?: string; low?: number; high?: number };
}

/** A signal's engineering unit and a range that holds its limits with room, as an edge device would announce them. */
function engineeringOf(signal: Plant['machines'][number]['signals'][number]): EdgeNodeMetric['engineering'] {
  const limits = signal.limits;
  const top = limits?.highAlarm ?? limits?.highWarn;
  const bottom = limits?.lowAlarm ?? limits?.lowWarn;
  return {
    ...(signal.unit === '' ? {} : { unit: signal.unit }),
    ...(top === undefined ? {} : { low: bottom === undefined || bottom > 0 ? 0 : Math.floor(bottom * 1.25), high: Math.ceil(top * 1.25) }),
  };
}

/** How a simulated edge node is set up. */
export interface SparkplugEdgeNodeOptions {
  url: string;
  group: string;
  node: string;
  metrics: EdgeNodeMetric[];
  /** Milliseconds between data messages (default 500). */
  periodMs?: number;
  /** The primary host application whose STATE the node waits for before its birth. */
  primaryHostId?: string;
  clientId?: string;
  log?: (line: string) => void;
}

/** Longest STATE payload read. */
const maxStateBytes = 1024;

/**
 * A simulated Sparkplug B 3.0 edge node for the demo (and tests): NBIRTH with bdSeq and aliases,
 * DBIRTH for its devices, NDATA/DDATA by alias every period, an NDEATH will, a new birth on a
 * Rebirth NCMD, and — with a primary host — no birth until that host's STATE says online.
 */
export class SparkplugEdgeNode {
  private readonly options: SparkplugEdgeNodeOptions;
  private readonly log: (line: string) => void;
  private readonly devices: string[];
  private readonly aliases: Map<EdgeNodeMetric, number>;
  private client: MqttClient | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** The bdSeq of the current connection's will, which its NBIRTH repeats. */
  private bdSeq = 0;
  private seq = 0;
  private born = false;
  private primaryOnline = false;
  private lastStateTimestamp = Number.NEGATIVE_INFINITY;
  private birthCount = 0;

  constructor(options: SparkplugEdgeNodeOptions) {
    this.options = options;
    this.log = options.log ?? (() => undefined);
    this.devices = [...new Set(options.metrics.flatMap((metric) => (metric.device === undefined ? [] : [metric.device])))];
    // Aliases are unique across the node and all its devices.
    this.aliases = new Map(options.metrics.map((metric, index) => [metric, index + 1]));
  }

  /** One edge node per Sparkplug group and node that the plant's signals bind, publishing the values `valueOf` gives. */
  static forPlant(plant: Plant, brokers: readonly BrokerEndpoint[], valueOf: (machineIndex: number, signalIndex: number, now: number) => number | undefined, log?: (line: string) => void): SparkplugEdgeNode[] {
    const firstBroker = brokers[0]?.id;
    const groups = new Map<string, { broker: BrokerEndpoint; group: string; node: string; metrics: EdgeNodeMetric[]; period: number }>();
    plant.machines.forEach((machine, machineIndex) =>
      machine.signals.forEach((signal, signalIndex) => {
        const binding = signal.sparkplug;
        const broker = brokers.find((candidate) => candidate.id === (signal.broker ?? firstBroker));
        if (!binding || !broker) return;
        const key = `${broker.id}\u0000${binding.group}\u0000${binding.node}`;
        const entry = groups.get(key) ?? { broker, group: binding.group, node: binding.node, metrics: [], period: signal.period };
        entry.period = Math.min(entry.period, signal.period);
        entry.metrics.push({
          name: binding.metric,
          ...(binding.device === undefined ? {} : { device: binding.device }),
          read: (now) => valueOf(machineIndex, signalIndex, now),
          engineering: engineeringOf(signal),
        });
        groups.set(key, entry);
      }),
    );
    return [...groups.values()].map(
      ({ broker, group, node, metrics, period }) =>
        new SparkplugEdgeNode({
          url: broker.url,
          group,
          node,
          metrics,
          // Held between 1 and 10 Hz, as the JSON simulator's topics are.
          periodMs: Math.min(1000, Math.max(100, period * 1000)),
          ...(broker.sparkplug?.primary ? { primaryHostId: broker.sparkplug.hostId } : {}),
          log,
        }),
    );
  }

  /** Connects and keeps reconnecting; births follow as the primary host allows. */
  start(): void {
    const client = mqtt.connect(this.options.url, {
      clientId: this.options.clientId ?? `twinline-edge-${this.options.node}-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
      // Sparkplug clients always start clean: a new session, a new birth.
      clean: true,
      reconnectPeriod: 1000,
      queueQoSZero: false,
      will: this.will(),
    });
    this.client = client;
    client.on('connect', () => this.guard(() => this.connected(client), 'starting a session'));
    client.on('close', () =>
      this.guard(() => {
        this.born = false;
        this.primaryOnline = false;
        // The next connection is a new session: a new bdSeq in its will and its birth.
        this.bdSeq = (this.bdSeq + 1) % 256;
        client.options.will = this.will();
      }, 'ending a session'),
    );
    client.on('message', (topic, payload) => this.guard(() => this.message(topic, payload), `taking a message on ${topic.slice(0, 200)}`));
    client.on('error', (error) => this.log(`Sparkplug edge node ${this.options.node}: ${error.message}`));
    this.timer = setInterval(() => this.guard(() => this.publishData(), 'publishing data'), this.options.periodMs ?? 500);
  }

  /** Publishes its NDEATH and disconnects, as an edge node that leaves on purpose does. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (client.connected && this.born) {
      await client.publishAsync(this.topic('NDEATH'), this.deathPayload(), { qos: 1 }).catch((error: unknown) => this.log(`Sparkplug edge node ${this.options.node}: its NDEATH could not be sent: ${String(error)}`));
    }
    await client.endAsync(false);
  }

  /** How many births it has published, for tests. */
  births(): number {
    return this.birthCount;
  }

  private connected(client: MqttClient): void {
    const filters: Record<string, { qos: 0 | 1 }> = { [this.topic('NCMD')]: { qos: 1 } };
    if (this.options.primaryHostId !== undefined) filters[stateTopic(this.options.primaryHostId)] = { qos: 1 };
    client.subscribe(filters, (error) => {
      if (error) this.log(`Sparkplug edge node ${this.options.node}: subscribe failed: ${error.message}`);
    });
    if (this.options.primaryHostId === undefined) this.birth();
  }

  private message(topic: string, payload: Buffer): void {
    if (this.options.primaryHostId !== undefined && topic === stateTopic(this.options.primaryHostId)) {
      if (payload.byteLength > maxStateBytes) return;
      let state: unknown;
      try {
        state = JSON.parse(payload.toString('utf8'));
      } catch (error) {
        this.log(`Sparkplug edge node ${this.options.node}: a STATE that is not JSON ignored: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      const { online, timestamp } = (state ?? {}) as { online?: unknown; timestamp?: unknown };
      // An older STATE (a retained will of an earlier session arriving late) says nothing about now.
      if (typeof online !== 'boolean' || typeof timestamp !== 'number' || timestamp < this.lastStateTimestamp) return;
      this.lastStateTimestamp = timestamp;
      this.primaryOnline = online;
      // The primary host's new session needs every birth again.
      if (online) this.birth();
      return;
    }
    if (topic !== this.topic('NCMD')) return;
    const decoded = decodeSparkplugPayload(payload);
    if (!decoded.ok) {
      this.log(`Sparkplug edge node ${this.options.node}: an NCMD ignored: ${decoded.detail}`);
      return;
    }
    const rebirth = (decoded.payload.metrics ?? []).some((metric) => metric.name === 'Node Control/Rebirth' && metric.booleanValue === true);
    if (rebirth) this.birth();
  }

  /** NBIRTH (seq 0, bdSeq, every node metric with its alias) and one DBIRTH per device. */
  private birth(): void {
    const client = this.client;
    if (!client?.connected) return;
    if (this.options.primaryHostId !== undefined && !this.primaryOnline) return;
    const now = Date.now();
    this.seq = 0;
    const nodeMetrics: SparkplugMetricInput[] = [
      { name: 'bdSeq', type: 'UInt64', value: this.bdSeq },
      { name: 'Node Control/Rebirth', type: 'Boolean', value: false },
      ...this.definitions(undefined, now),
    ];
    client.publish(this.topic('NBIRTH'), encodeSparkplugPayload({ timestamp: now, seq: this.nextSeq(), metrics: nodeMetrics }), { qos: 0 });
    for (const device of this.devices) {
      client.publish(this.topic('DBIRTH', device), encodeSparkplugPayload({ timestamp: now, seq: this.nextSeq(), metrics: this.definitions(device, now) }), { qos: 0 });
    }
    this.born = true;
    this.birthCount++;
  }

  private publishData(): void {
    const client = this.client;
    if (!this.born || !client?.connected) return;
    const now = Date.now();
    for (const device of [undefined, ...this.devices]) {
      const metrics: SparkplugMetricInput[] = [];
      for (const metric of this.options.metrics) {
        if (metric.device !== device) continue;
        const value = metric.read(now);
        if (value !== undefined) metrics.push({ alias: this.aliases.get(metric)!, type: 'Double', value, timestamp: now });
      }
      if (metrics.length === 0) continue;
      const type = device === undefined ? 'NDATA' : 'DDATA';
      client.publish(this.topic(type, device), encodeSparkplugPayload({ timestamp: now, seq: this.nextSeq(), metrics }), { qos: 0 });
    }
  }

  /** The birth entries of the node's own metrics (device undefined) or of one device's. */
  private definitions(device: string | undefined, now: number): SparkplugMetricInput[] {
    return this.options.metrics
      .filter((metric) => metric.device === device)
      .map((metric) => {
        const value = metric.read(now);
        const { unit, low, high } = metric.engineering ?? {};
        const properties = {
          ...(unit === undefined ? {} : { engUnit: { type: 'String' as const, value: unit } }),
          ...(low === undefined ? {} : { engLow: { type: 'Double' as const, value: low } }),
          ...(high === undefined ? {} : { engHigh: { type: 'Double' as const, value: high } }),
        };
        return { name: metric.name, alias: this.aliases.get(metric)!, type: 'Double', value: value ?? null, timestamp: now, properties };
      });
  }

  private nextSeq(): number {
    const seq = this.seq;
    this.seq = (this.seq + 1) % 256;
    return seq;
  }

  private will(): { topic: string; payload: Buffer; qos: 1; retain: false } {
    return { topic: this.topic('NDEATH'), payload: this.deathPayload(), qos: 1, retain: false };
  }

  private deathPayload(): Buffer {
    return encodeSparkplugPayload({ metrics: [{ name: 'bdSeq', type: 'UInt64', value: this.bdSeq }] });
  }

  private topic(type: 'NBIRTH' | 'NDEATH' | 'DBIRTH' | 'NDATA' | 'DDATA' | 'NCMD', device?: string): string {
    return edgeTopic(this.options.group, type, this.options.node, device);
  }

  /** Broker events and timers are boundaries: an error ends that piece of work and is logged with what it was. */
  private guard(work: () => void, what: string): void {
    try {
      work();
    } catch (error) {
      this.log(`Sparkplug edge node ${this.options.group}/${this.options.node}: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}
