import mqtt, { type MqttClient } from 'mqtt';
import type { ConnectionStatus } from '../common/contract.ts';
import { brokerCredentials, redactBrokerUrl, redactCredentials } from '../common/redact-secrets.ts';
import type { BrokerEndpoint } from '../common/resolve-brokers.ts';
import { brokerClientSettings, type BrokerClientSettings } from './broker-client-options.ts';
import { connectionErrorText } from './connection-error-text.ts';

/** What a broker connection reports to its owner. */
export interface BrokerConnectionEvents {
  /** `retained` says whether the broker sent the message from its retained store. */
  onMessage(topic: string, payload: Buffer, retained?: boolean): void;
  onStatus(status: ConnectionStatus): void;
  /** Called once per session, after the subscriptions were sent: a Sparkplug host publishes its STATE birth here. */
  onConnected?(): void;
}

/** A message the broker publishes for the host when the host's connection dies (MQTT last will). */
export interface WillMessage {
  topic: string;
  payload: string | Buffer;
  qos: 0 | 1;
  retain: boolean;
}

/** A topic filter the host subscribes to, with the QoS it asks for. */
export interface Subscription {
  topic: string;
  qos: 0 | 1;
}

/** What the owner of a connection gives it besides the broker. */
export interface BrokerConnectionOptions {
  subscriptions: Subscription[];
  events: BrokerConnectionEvents;
  /** The will to register with each new connection, asked afresh per connection (a Sparkplug STATE will carries the connection's timestamp). */
  will?: () => WillMessage | undefined;
  policy?: ReconnectPolicy;
}

/** Reconnect delays grow from `first` to `max`, with jitter so that many viewers do not reconnect in step. */
export interface ReconnectPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  /** Longest an attempt may wait for the broker's CONNACK before it counts as failed (default 10 s). */
  connectTimeoutMs?: number;
  /**
   * How long a connection must last before the next loss starts again from the first delay
   * (default 10 s): a broker that accepts and drops every connection at once still gets backoff.
   */
  stableAfterMs?: number;
}

const defaultPolicy: ReconnectPolicy = { firstDelayMs: 500, maxDelayMs: 30_000 };
const defaultConnectTimeoutMs = 10_000;
const defaultStableAfterMs = 10_000;
/** Longest `stop` waits for the broker to close its side of the connection before cutting it off. */
const gracefulEndMs = 1000;

/**
 * Ends a connection's stream after what is already written (the acknowledgements of QoS 1 messages
 * the host took), rather than dropping it: otherwise a persistent session is sent them again. No
 * DISCONNECT is sent, so the broker still publishes the will (a Sparkplug host's STATE death).
 * Resolves when the stream has closed, or after `limitMs` when the broker never closes its side.
 */
function endStream(stream: MqttClient['stream'] | undefined, limitMs: number): Promise<void> {
  if (!stream || stream.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(limit);
      resolve();
    };
    // The caller destroys whatever is left after the limit.
    const limit = setTimeout(done, limitMs);
    stream.once('close', done);
    stream.end();
  });
}

/** Delay before reconnect attempt `attempt` (1-based): exponential, capped, with ±25 % jitter. */
export function reconnectDelay(attempt: number, policy: ReconnectPolicy = defaultPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

/**
 * One subscriber connection to one broker. MQTT.js reconnects on a fixed period with no backoff,
 * so its own reconnect is off and this class schedules attempts itself.
 */
export class BrokerConnection {
  private readonly broker: BrokerEndpoint;
  private readonly events: BrokerConnectionEvents;
  private readonly policy: ReconnectPolicy;
  private readonly subscriptions: Subscription[];
  private readonly will: (() => WillMessage | undefined) | undefined;
  /** What an error text must never show: this broker's username and password, in its fields or its URL. */
  private readonly credentials: string[];
  /** Protocol, credentials, session and TLS options, with the PEM files read once at construction. */
  private readonly settings: BrokerClientSettings;
  private client: MqttClient | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private current: ConnectionStatus;
  /** Consecutive failed attempts, counted across connections too short-lived to count as recovered. */
  private failedAttempts = 0;
  /** When the current connection came up; undefined while there is none. */
  private connectedAt: number | undefined;

  constructor(broker: BrokerEndpoint, options: BrokerConnectionOptions) {
    this.broker = broker;
    this.subscriptions = options.subscriptions;
    this.events = options.events;
    this.will = options.will;
    this.policy = options.policy ?? defaultPolicy;
    this.credentials = brokerCredentials(broker);
    // Throws, naming the broker, for settings that cannot work (a tls block on a plain URL, an unreadable PEM file).
    this.settings = brokerClientSettings(broker);
    this.current = {
      brokerId: broker.id,
      url: redactBrokerUrl(broker.url),
      state: 'connecting',
      since: Date.now(),
      reconnectAttempts: 0,
      protocol: broker.protocol,
      subscriptions: 0,
      warnings: this.settings.warnings,
    };
  }

  /** Publishes a message if connected; returns whether it was handed to the client. */
  publish(topic: string, payload: string | Buffer, options: { qos: 0 | 1; retain: boolean }): boolean {
    const client = this.client;
    if (!client?.connected) return false;
    client.publish(topic, payload, options, (error) => {
      if (error) this.update({ lastError: `publish to ${topic} failed: ${this.redact(error.message)}` });
    });
    return true;
  }

  /** The latest status. */
  status(): ConnectionStatus {
    return this.current;
  }

  /** Connects and keeps reconnecting until `stop`; throws, naming the broker without its credentials, when its URL is unusable. */
  start(): void {
    let client: MqttClient;
    try {
      client = this.connect();
    } catch (error) {
      // MQTT.js refuses some URLs at once; its error must not carry the URL's credentials into a log.
      throw new Error(`Cannot connect to broker "${this.broker.id}" at ${redactBrokerUrl(this.broker.url)}: ${this.redact(error instanceof Error ? error.message : String(error))}`);
    }
    this.client = client;
    client.on('connect', () => {
      this.connectedAt = Date.now();
      this.update({ state: 'connected', reconnectAttempts: 0, lastError: undefined });
      if (this.subscriptions.length > 0) {
        const filters = Object.fromEntries(this.subscriptions.map((subscription) => [subscription.topic, { qos: subscription.qos }]));
        client.subscribe(filters, (error) => {
          if (error) this.update({ lastError: `subscribe failed: ${this.redact(error.message)}` });
          else this.update({ subscriptions: this.subscriptions.length });
        });
      }
      this.events.onConnected?.();
    });
    client.on('message', (topic, payload, packet) => this.events.onMessage(topic, payload, packet.retain));
    client.on('error', (error) => {
      this.update({ lastError: this.redact(connectionErrorText(error, this.broker)) });
      // On a live connection MQTT.js reports a packet it cannot parse and keeps the socket, whose
      // bytes are then out of step: nothing more arrives, yet the broker would show connected until
      // the keepalive gives up. Ending the socket starts the reconnect (by 'close') at once.
      if (client.connected) client.stream.destroy();
    });
    client.on('close', () => this.scheduleReconnect());
  }

  private connect(): MqttClient {
    return mqtt.connect(this.broker.url, {
      ...this.settings.options,
      clientId: this.broker.clientId ?? `twinline-${Math.random().toString(16).slice(2, 10)}`,
      reconnectPeriod: 0,
      connectTimeout: this.policy.connectTimeoutMs ?? defaultConnectTimeoutMs,
      // A viewer never publishes; nothing may pile up while offline.
      queueQoSZero: false,
      resubscribe: false,
      will: this.will?.(),
    });
  }

  /** An error text as views and logs may see it. */
  private redact(text: string): string {
    return redactCredentials(text, this.credentials);
  }

  /** Disconnects and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      await endStream(client.stream, gracefulEndMs);
      await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
    }
    this.update({ state: 'disconnected' });
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== undefined) return;
    if (this.connectedAt !== undefined && Date.now() - this.connectedAt >= (this.policy.stableAfterMs ?? defaultStableAfterMs)) this.failedAttempts = 0;
    this.connectedAt = undefined;
    const attempt = ++this.failedAttempts;
    this.update({ state: 'reconnecting', reconnectAttempts: attempt, subscriptions: 0 });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.stopped || !this.client) return;
      // A will may differ per connection (Sparkplug's carries the connection's timestamp).
      const will = this.will?.();
      if (will) this.client.options.will = will;
      this.client.reconnect();
    }, reconnectDelay(attempt, this.policy));
  }

  private update(change: Partial<ConnectionStatus>): void {
    const next: ConnectionStatus = { ...this.current, ...change };
    if (change.state !== undefined && change.state !== this.current.state) next.since = Date.now();
    if (next.lastError === undefined) delete next.lastError;
    const changed =
      next.state !== this.current.state ||
      next.lastError !== this.current.lastError ||
      next.reconnectAttempts !== this.current.reconnectAttempts ||
      next.subscriptions !== this.current.subscriptions ||
      next.warnings !== this.current.warnings;
    this.current = next;
    if (changed) this.events.onStatus(next);
  }
}
