import { z } from 'zod';

/**
 * What the topic explorer shows a view: the part of the topic tree it has expanded, never the whole
 * tree, refreshed when the view asks (about once a second).
 */

/** Longest topic or filter the explorer takes from a view, in characters. */
export const maxExplorerTopicLength = 1024;
/** Most expanded tree nodes one view may ask about at once. */
export const maxExpandedNodes = 64;

/** The explorer's bounds: topics kept, payload bytes kept per topic and in all. */
export interface TopicExplorerLimits {
  maxTopics: number;
  maxPayloadBytesPerTopic: number;
  maxTotalPayloadBytes: number;
}

/** The explorer's bounds unless told otherwise. */
export const defaultTopicExplorerLimits: TopicExplorerLimits = { maxTopics: 20_000, maxPayloadBytesPerTopic: 4096, maxTotalPayloadBytes: 32 * 1024 * 1024 };

/** Counts over everything the explorer has seen, including what its bounds made it drop. */
export interface TopicExplorerTotals {
  topics: number;
  messages: number;
  /** Payload bytes kept now (at most `maxTotalPayloadBytes`). */
  payloadBytesKept: number;
  /** Messages on topics that were not kept: beyond the topic cap, or too long or deep to keep. */
  droppedMessages: number;
  /** Payloads whose bytes were not kept because all payloads together were at their cap. */
  droppedPayloads: number;
}

/** One child of an expanded node: a topic level with what lies under it. */
export interface TopicChild {
  /** The level's own name. */
  name: string;
  /** The topic up to and including this level. */
  topic: string;
  /** Whether messages arrived on exactly this topic (a level can be a topic and have children). */
  hasMessage: boolean;
  hasChildren: boolean;
  /** Topics with messages at this level and under it. */
  topics: number;
  /** Messages at this level and under it. */
  messages: number;
  /** Messages per second at this level and under it, over the last 10 seconds. */
  rate: number;
  /** Topics at this level and under it that a plant signal reads. */
  bound: number;
  /** Host clock of the last message here or under it (ms since the epoch). */
  lastSeen: number;
  /** Whether the last message on exactly this topic was a retained one. */
  retained: boolean;
}

/** The children of one expanded node of one broker's tree. */
export interface TopicListing {
  broker: string;
  /** The expanded node's topic; null for the broker's root. */
  prefix: string | null;
  children: TopicChild[];
  /** Children left out to keep the answer small. */
  more: number;
}

/** One metric of a decoded Sparkplug B payload. */
export interface SparkplugMetricView {
  name: string;
  alias?: number;
  value: number | boolean | string | null;
  /** Plant signals that read this metric, as `machine/signal`. */
  boundSignals: string[];
}

/** A kept payload as a view shows it. */
export type TopicPayloadView =
  | { kind: 'empty' }
  /** JSON text as it came (the view lays it out, so that its numbers can be picked). */
  | { kind: 'json'; text: string }
  | { kind: 'text'; text: string; truncated: boolean }
  | { kind: 'binary'; hex: string; truncated: boolean }
  | { kind: 'sparkplug'; timestamp: number | null; seq: number | null; metrics: SparkplugMetricView[]; more: number }
  /** Bytes not kept: the payload was over the per-topic cap and not complete, or all payloads were at their cap. */
  | { kind: 'notKept'; reason: string };

/** Everything about one topic, for the view's selected topic. */
export interface TopicDetail {
  broker: string;
  /** Whether `broker` is the plant's first broker (a signal on it need not name its broker). */
  firstBroker: boolean;
  topic: string;
  messages: number;
  rate: number;
  lastSeen: number;
  retained: boolean;
  /** Size of the last payload in bytes, whether or not it was all kept. */
  size: number;
  payload: TopicPayloadView;
  /** Plant signals that read this topic, as `machine/signal`. */
  boundSignals: string[];
  /** The edge node (and device) of a Sparkplug topic. */
  sparkplug?: { group: string; node: string; device?: string };
}

/** How one broker's explorer connection is doing. */
export interface ExplorerBrokerState {
  broker: string;
  state: 'connecting' | 'connected' | 'reconnecting' | 'disconnected';
  lastError?: string;
}

/** The explorer as one view sees it. */
export interface TopicTreeView {
  /** Whether this view has the explorer open (and so the brokers are subscribed with its filter). */
  open: boolean;
  filter: string;
  time: number;
  limits: TopicExplorerLimits;
  totals: TopicExplorerTotals;
  brokers: ExplorerBrokerState[];
  listings: TopicListing[];
  selected: TopicDetail | null;
}

/** Whether a text is a valid MQTT topic filter: `+` stands for a whole level, `#` only for the last. */
export function isTopicFilter(filter: string): boolean {
  if (filter === '' || filter.includes('\u0000')) return false;
  const levels = filter.split('/');
  return levels.every((level, index) => (level.includes('+') ? level === '+' : true) && (level.includes('#') ? level === '#' && index === levels.length - 1 : true));
}

/** Whether a topic matches an MQTT topic filter; topics starting with "$" match only filters that name it (MQTT's rule). */
export function topicMatchesFilter(filter: string, topic: string): boolean {
  const filterLevels = filter.split('/');
  const topicLevels = topic.split('/');
  if (topic.startsWith('$') && (filterLevels[0] === '#' || filterLevels[0] === '+')) return false;
  for (let index = 0; index < filterLevels.length; index++) {
    const level = filterLevels[index]!;
    if (level === '#') return true;
    if (index >= topicLevels.length) return false;
    if (level !== '+' && level !== topicLevels[index]) return false;
  }
  return filterLevels.length === topicLevels.length;
}

const brokerId = z.string().min(1).max(64);
const topicText = z.string().max(maxExplorerTopicLength);

/** Parameters of `openTopicExplorer`: the filter to subscribe with (`#` for everything). */
export const openTopicExplorerParams = z.object({ filter: topicText.min(1).refine(isTopicFilter, 'an MQTT topic filter ("#", "plant/#", "plant/+/temperature")') }).strict();

/** Parameters of `getTopicTree`: the nodes the view has expanded and the topic it has selected. */
export const getTopicTreeParams = z
  .object({
    expanded: z.array(z.object({ broker: brokerId, prefix: topicText.nullable() }).strict()).max(maxExpandedNodes),
    selected: z.object({ broker: brokerId, topic: topicText.min(1) }).strict().nullable(),
  })
  .strict();
