import type { BrokerEndpoint } from '../../common/resolve-brokers.ts';
import type { ExplorerBrokerState, TopicExplorerLimits, TopicTreeView } from '../../common/topic-explorer.ts';
import { topicMatchesFilter } from '../../common/topic-explorer.ts';
import { BrokerConnection } from '../broker-connection.ts';
import { TopicBindings, type SignalSource } from './topic-bindings.ts';
import { TopicStore } from './topic-store.ts';

/** What the collector needs: the plant's brokers (with their settings and secrets), its signals' sources, and bounds. */
export interface TopicCollectorOptions {
  brokers: BrokerEndpoint[];
  sources: SignalSource[];
  limits?: Partial<TopicExplorerLimits>;
  log?: (line: string) => void;
}

/** What one view asks of the explorer. */
export interface TopicQuery {
  filter: string;
  expanded: ReadonlyArray<{ broker: string; prefix: string | null }>;
  selected: { broker: string; topic: string } | null;
}

/**
 * The explorer's own MQTT clients, one per broker, subscribed with the open views' filters, feeding
 * one `TopicStore`. Each client has its own random client id and a clean session, so it never takes
 * the place of the plant's own connection (which may use a fixed id and a persistent session).
 */
export class TopicCollector {
  readonly store: TopicStore;
  private readonly options: TopicCollectorOptions;
  private connections: BrokerConnection[] = [];
  private filters: string[] = [];

  constructor(options: TopicCollectorOptions) {
    this.options = options;
    this.store = new TopicStore(new TopicBindings(options.sources), options.limits);
  }

  /** Subscribes every broker with exactly these filters, reconnecting when they changed; none disconnects. */
  async subscribe(filters: readonly string[]): Promise<void> {
    const wanted = [...new Set(filters)].sort();
    if (wanted.join('\u0000') === this.filters.join('\u0000')) return;
    await this.stop();
    this.filters = wanted;
    if (wanted.length === 0) return;
    for (const broker of this.options.brokers) {
      // The explorer's client is nobody's session: a fixed client id would throw the plant's own connection off the broker.
      const endpoint: BrokerEndpoint = { ...broker, clientId: undefined, session: undefined };
      const connection = new BrokerConnection(endpoint, {
        subscriptions: wanted.map((topic) => ({ topic, qos: 0 })),
        events: {
          onMessage: (topic, payload, retained) => {
            try {
              this.store.record(broker.id, topic, payload, retained ?? false, Date.now());
            } catch (error) {
              this.options.log?.(`the topic explorer could not take a message on ${topic.slice(0, 200)} from broker "${broker.id}": ${error instanceof Error ? error.message : String(error)}`);
            }
          },
          onStatus: () => undefined,
        },
      });
      this.connections.push(connection);
      connection.start();
    }
  }

  /** How each broker's explorer connection is doing. */
  brokerStates(): ExplorerBrokerState[] {
    return this.connections.map((connection) => {
      const status = connection.status();
      return { broker: status.brokerId, state: status.state, ...(status.lastError === undefined ? {} : { lastError: status.lastError }) };
    });
  }

  /** One view's answer: totals, the listings of what it expanded and its selected topic. */
  answer(query: TopicQuery, now = Date.now()): Omit<TopicTreeView, 'open'> {
    const firstBroker = this.options.brokers[0]?.id;
    const matches = (topic: string) => topicMatchesFilter(query.filter, topic);
    const selected = query.selected === null || !matches(query.selected.topic) ? undefined : this.store.detail(query.selected.broker, query.selected.topic, now, query.selected.broker === firstBroker);
    return {
      filter: query.filter,
      time: now,
      limits: this.store.bounds,
      totals: this.store.counts(),
      brokers: this.brokerStates(),
      listings: this.store.listings(query.expanded, now, matches),
      selected: selected ?? null,
    };
  }

  /** Disconnects every broker. */
  async stop(): Promise<void> {
    const connections = this.connections;
    this.connections = [];
    this.filters = [];
    await Promise.all(connections.map((connection) => connection.stop()));
  }
}
