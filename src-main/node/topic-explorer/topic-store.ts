import { defaultTopicExplorerLimits, type TopicChild, type TopicDetail, type TopicExplorerLimits, type TopicExplorerTotals, type TopicListing } from '../../common/topic-explorer.ts';
import { describePayload, type SparkplugAliases } from './describe-payload.ts';
import type { TopicBindings } from './topic-bindings.ts';
import { parseSparkplugTopic } from '../sparkplug/sparkplug-topic.ts';

/** Seconds the message rate is averaged over. */
const rateWindowSeconds = 10;
/** Deepest topic kept, in levels: bounds the tree nodes one topic can make. */
export const maxTopicLevels = 32;
/** Longest topic kept, in characters. */
export const maxTopicCharacters = 1024;
/** Most children of one node returned in one listing; the rest are counted. */
export const maxChildrenPerListing = 500;
/** Most children returned over all listings of one answer. */
export const maxChildrenPerAnswer = 2000;

interface TopicNode {
  name: string;
  topic: string;
  parent: TopicNode | undefined;
  children: Map<string, TopicNode> | undefined;
  own: OwnTopic | undefined;
  /** Aggregates over this node and everything under it. */
  topics: number;
  messages: number;
  bound: number;
  lastSeen: number;
  /** Messages per second of the last `rateWindowSeconds` seconds, by second modulo the window. */
  buckets: Uint32Array;
  /** The second the newest bucket belongs to. */
  bucketSecond: number;
  /** Host clock of the first message here or under it: a node younger than the window averages over its age. */
  firstSeen: number;
}

interface OwnTopic {
  messages: number;
  retained: boolean;
  lastSeen: number;
  size: number;
  /** The kept bytes of the last payload; undefined when they could not be kept. */
  payload: Uint8Array | undefined;
  boundSignals: string[];
  /** The Sparkplug address, for a Sparkplug topic. */
  sparkplug: { group: string; node: string; device?: string } | undefined;
}

function newNode(name: string, topic: string, parent: TopicNode | undefined): TopicNode {
  return { name, topic, parent, children: undefined, own: undefined, topics: 0, messages: 0, bound: 0, lastSeen: 0, buckets: new Uint32Array(rateWindowSeconds), bucketSecond: 0, firstSeen: 0 };
}

function countInBucket(node: TopicNode, second: number): void {
  const gap = second - node.bucketSecond;
  if (gap > 0) {
    // Seconds that passed without messages are emptied before this one is counted.
    for (let step = 1; step <= Math.min(gap, rateWindowSeconds); step++) node.buckets[(node.bucketSecond + step) % rateWindowSeconds] = 0;
    node.bucketSecond = second;
  }
  // A message stamped before the newest bucket (a clock step back) counts in the newest.
  node.buckets[node.bucketSecond % rateWindowSeconds]!++;
}

function rateOf(node: TopicNode, now: number): number {
  const second = Math.floor(now / 1000);
  const age = second - node.bucketSecond;
  if (age >= rateWindowSeconds) return 0;
  let sum = 0;
  // Only buckets of the seconds still inside the window count.
  for (let back = 0; back < rateWindowSeconds - Math.max(age, 0); back++) sum += node.buckets[(node.bucketSecond - back + rateWindowSeconds * 1000) % rateWindowSeconds]!;
  // Seconds the sum covers: the whole window, or less for a topic that appeared within it.
  const span = Math.min(rateWindowSeconds, Math.max(1, (now - node.firstSeen) / 1000));
  return sum / span;
}

/**
 * Every topic seen on the explorer's brokers, as one tree per broker with counts, rates and the last
 * payload of each topic. Bounded: at most `maxTopics` topics and `maxTotalPayloadBytes` payload bytes;
 * what does not fit is counted, never kept.
 */
export class TopicStore {
  private readonly roots = new Map<string, TopicNode>();
  private readonly limits: TopicExplorerLimits;
  private readonly bindings: TopicBindings;
  private readonly aliases: SparkplugAliases = new Map();
  private readonly totals: TopicExplorerTotals = { topics: 0, messages: 0, payloadBytesKept: 0, droppedMessages: 0, droppedPayloads: 0 };
  private nodes = 0;

  constructor(bindings: TopicBindings, limits: Partial<TopicExplorerLimits> = {}) {
    this.bindings = bindings;
    this.limits = { ...defaultTopicExplorerLimits, ...limits };
  }

  /** The bounds in force. */
  get bounds(): TopicExplorerLimits {
    return this.limits;
  }

  /** Counts of what was seen and dropped. */
  counts(): TopicExplorerTotals {
    return { ...this.totals };
  }

  /** Forgets every topic (a new filter starts from nothing). */
  clear(): void {
    this.roots.clear();
    this.aliases.clear();
    Object.assign(this.totals, { topics: 0, messages: 0, payloadBytesKept: 0, droppedMessages: 0, droppedPayloads: 0 });
    this.nodes = 0;
  }

  /** Takes one message: counts it on its topic and every level above, and keeps (the start of) its payload. */
  record(broker: string, topic: string, payload: Uint8Array, retained: boolean, now: number): void {
    this.totals.messages++;
    const node = this.topicNode(broker, topic);
    if (node === undefined) {
      this.totals.droppedMessages++;
      return;
    }
    const second = Math.floor(now / 1000);
    let own = node.own;
    if (own === undefined) {
      const sparkplugTopic = parseSparkplugTopic(topic);
      const sparkplug = sparkplugTopic?.kind === 'edge' ? { group: sparkplugTopic.group, node: sparkplugTopic.node, ...(sparkplugTopic.device === undefined ? {} : { device: sparkplugTopic.device }) } : undefined;
      const boundSignals = this.bindings.signalsOf(broker, topic, sparkplug);
      own = { messages: 0, retained, lastSeen: now, size: 0, payload: undefined, boundSignals, sparkplug };
      node.own = own;
      this.totals.topics++;
      for (let level: TopicNode | undefined = node; level; level = level.parent) {
        level.topics++;
        if (boundSignals.length > 0) level.bound++;
      }
    }
    own.messages++;
    own.retained = retained;
    own.lastSeen = now;
    own.size = payload.byteLength;
    this.keepPayload(own, payload);
    if (own.sparkplug !== undefined && own.payload !== undefined && own.payload.byteLength === own.size && /\/[ND]BIRTH\//.test(`${topic}/`)) {
      // Births name the aliases data messages use; learning them here lets data show metric names.
      describePayload(topic, own.payload, own.size, own.sparkplug, this.bindings.sparkplugMetricsOf(broker, own.sparkplug), this.aliases, true);
    }
    for (let level: TopicNode | undefined = node; level; level = level.parent) {
      if (level.messages === 0) level.firstSeen = now;
      level.messages++;
      level.lastSeen = now;
      // A retained message comes from the broker's store on subscribing: history, not traffic.
      if (!retained) countInBucket(level, second);
    }
  }

  /** The children of each expanded node, bounded in number. */
  listings(expanded: ReadonlyArray<{ broker: string; prefix: string | null }>, now: number, matches: (topic: string) => boolean = () => true): TopicListing[] {
    let budget = maxChildrenPerAnswer;
    const listings: TopicListing[] = [];
    for (const { broker, prefix } of expanded) {
      const node = this.find(broker, prefix);
      if (node === undefined) continue;
      const all = [...(node.children?.values() ?? [])].filter((child) => matches(child.topic) || child.children !== undefined);
      all.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
      const shown = all.slice(0, Math.min(maxChildrenPerListing, budget));
      budget -= shown.length;
      listings.push({ broker, prefix, children: shown.map((child) => this.child(child, now)), more: all.length - shown.length });
    }
    return listings;
  }

  /** Everything about one topic, or undefined when it was never seen. */
  detail(broker: string, topic: string, now: number, firstBroker: boolean): TopicDetail | undefined {
    const node = this.find(broker, topic);
    const own = node?.own;
    if (node === undefined || own === undefined) return undefined;
    const metrics: ReadonlyMap<string, string[]> = own.sparkplug === undefined ? new Map() : this.bindings.sparkplugMetricsOf(broker, own.sparkplug);
    return {
      broker,
      firstBroker,
      topic,
      messages: own.messages,
      rate: rateOf(node, now),
      lastSeen: own.lastSeen,
      retained: own.retained,
      size: own.size,
      payload:
        own.payload === undefined
          ? { kind: 'notKept', reason: `all kept payloads together reached ${this.limits.maxTotalPayloadBytes} bytes` }
          : describePayload(topic, own.payload, own.size, own.sparkplug, metrics, this.aliases, false),
      boundSignals: own.boundSignals,
      ...(own.sparkplug === undefined ? {} : { sparkplug: own.sparkplug }),
    };
  }

  /** Every topic seen, in tree order, with its node: for the command line's full listing. */
  *topics(): Generator<{ broker: string; topic: string }> {
    for (const [broker, root] of this.roots) {
      const stack: TopicNode[] = [root];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (node.own !== undefined) yield { broker, topic: node.topic };
        const children = [...(node.children?.values() ?? [])].sort((left, right) => (left.name < right.name ? 1 : left.name > right.name ? -1 : 0));
        stack.push(...children);
      }
    }
  }

  private child(node: TopicNode, now: number): TopicChild {
    return {
      name: node.name,
      topic: node.topic,
      hasMessage: node.own !== undefined,
      hasChildren: node.children !== undefined && node.children.size > 0,
      topics: node.topics,
      messages: node.messages,
      rate: rateOf(node, now),
      bound: node.bound,
      lastSeen: node.lastSeen,
      retained: node.own?.retained ?? false,
    };
  }

  private keepPayload(own: OwnTopic, payload: Uint8Array): void {
    const previous = own.payload?.byteLength ?? 0;
    const kept = Math.min(payload.byteLength, this.limits.maxPayloadBytesPerTopic);
    if (this.totals.payloadBytesKept - previous + kept > this.limits.maxTotalPayloadBytes) {
      this.totals.payloadBytesKept -= previous;
      own.payload = undefined;
      this.totals.droppedPayloads++;
      return;
    }
    this.totals.payloadBytesKept += kept - previous;
    // A copy: the message's buffer may be a slice of a much larger one that must not stay alive.
    own.payload = payload.slice(0, kept);
  }

  /** The node of a topic; null names the broker's root (a topic "" is the empty first level of "/a"). */
  private find(broker: string, topic: string | null): TopicNode | undefined {
    let node = this.roots.get(broker);
    if (topic === null) return node;
    for (const level of topic.split('/')) {
      node = node?.children?.get(level);
      if (node === undefined) return undefined;
    }
    return node;
  }

  /** The node of a topic, made with its levels when new and within bounds; undefined when it cannot be kept. */
  private topicNode(broker: string, topic: string): TopicNode | undefined {
    const existing = this.find(broker, topic);
    if (existing?.own !== undefined) return existing;
    if (this.totals.topics >= this.limits.maxTopics || topic.length > maxTopicCharacters || topic === '') return undefined;
    const levels = topic.split('/');
    if (levels.length > maxTopicLevels) return undefined;
    // Levels only topics make: at most `maxTopicLevels` per kept topic, so nodes stay bounded by the topic cap.
    if (this.nodes + levels.length > this.limits.maxTopics * maxTopicLevels) return undefined;
    let node = this.roots.get(broker);
    if (node === undefined) {
      node = newNode(broker, '', undefined);
      this.roots.set(broker, node);
    }
    for (let index = 0; index < levels.length; index++) {
      const level = levels[index]!;
      const path = index === 0 ? level : `${node.topic}/${level}`;
      node.children ??= new Map();
      let child = node.children.get(level);
      if (child === undefined) {
        child = newNode(level, path, node);
        node.children.set(level, child);
        this.nodes++;
      }
      node = child;
    }
    return node;
  }
}
