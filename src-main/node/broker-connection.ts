import mqtt, { type MqttClient } from 'mqtt';
import type { ConnectionStatus } from '../common/contract.ts';
import { brokerCredentials, redactCredentials, redactUrl } from '../common/redact-secrets.ts';
import type { BrokerEndpoint } from '../common/resolve-brokers.ts';

/** What a broker connection reports to its owner. */
export interface BrokerConnectionEvents {
  onMessage(topic: string, payload: Buffer): void;
  onStatus(status: ConnectionStatus): void;
}

/** Reconnect delays grow from `first` to `max`, with jitter so that many viewers do not reconnect in step. */
export interface ReconnectPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
}

const defaultPolicy: ReconnectPolicy = { firstDelayMs: 500, maxDelayMs: 30_000 };

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
  private readonly topics: string[];
  /** What an error text must never show: this broker's username and password, in its fields or its URL. */
  private readonly credentials: string[];
  private client: MqttClient | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private current: ConnectionStatus;

  constructor(broker: BrokerEndpoint, topics: string[], events: BrokerConnectionEvents, policy: ReconnectPolicy = defaultPolicy) {
    this.broker = broker;
    this.topics = topics;
    this.events = events;
    this.policy = policy;
    this.credentials = brokerCredentials(broker);
    this.current = { brokerId: broker.id, url: redactUrl(broker.url), state: 'connecting', since: Date.now(), reconnectAttempts: 0 };
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
      throw new Error(`Cannot connect to broker "${this.broker.id}" at ${redactUrl(this.broker.url)}: ${this.redact(error instanceof Error ? error.message : String(error))}`);
    }
    this.client = client;
    client.on('connect', () => {
      this.update({ state: 'connected', reconnectAttempts: 0, lastError: undefined });
      if (this.topics.length > 0) {
        client.subscribe(this.topics, { qos: 0 }, (error) => {
          if (error) this.update({ lastError: `subscribe failed: ${this.redact(error.message)}` });
        });
      }
    });
    client.on('message', (topic, payload) => this.events.onMessage(topic, payload));
    client.on('error', (error) => this.update({ lastError: this.redact(error.message) }));
    client.on('close', () => this.scheduleReconnect());
  }

  private connect(): MqttClient {
    return mqtt.connect(this.broker.url, {
      clientId: this.broker.clientId ?? `twinline-${Math.random().toString(16).slice(2, 10)}`,
      username: this.broker.username,
      password: this.broker.password,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      // A viewer never publishes; nothing may pile up while offline.
      queueQoSZero: false,
      resubscribe: false,
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
    if (client) await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
    this.update({ state: 'disconnected' });
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== undefined) return;
    const attempt = this.current.reconnectAttempts + 1;
    this.update({ state: 'reconnecting', reconnectAttempts: attempt });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stopped) this.client?.reconnect();
    }, reconnectDelay(attempt, this.policy));
  }

  private update(change: Partial<ConnectionStatus>): void {
    const next: ConnectionStatus = { ...this.current, ...change };
    if (change.state !== undefined && change.state !== this.current.state) next.since = Date.now();
    if (next.lastError === undefined) delete next.lastError;
    const changed = next.state !== this.current.state || next.lastError !== this.current.lastError || next.reconnectAttempts !== this.current.reconnectAttempts;
    this.current = next;
    if (changed) this.events.onStatus(next);
  }
}
