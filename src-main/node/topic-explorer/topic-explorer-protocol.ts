import type { TopicExplorerLimits, TopicTreeView } from '../../common/topic-explorer.ts';
import type { BrokerEndpoint } from '../../common/resolve-brokers.ts';
import type { SignalSource } from './topic-bindings.ts';
import type { TopicQuery } from './topic-collector.ts';

/** What the explorer's worker thread starts with: the brokers it connects to, the plant's signal sources and its bounds. */
export interface TopicExplorerWorkerData {
  brokers: BrokerEndpoint[];
  sources: SignalSource[];
  limits: Partial<TopicExplorerLimits>;
}

/** A message from the host's loop to the explorer's worker. */
export type TopicExplorerRequest = { type: 'subscribe'; filters: string[] } | { type: 'query'; id: number; query: TopicQuery };

/** A message from the explorer's worker to the host's loop. */
export type TopicExplorerReply =
  | { type: 'answer'; id: number; ok: true; result: Omit<TopicTreeView, 'open'> }
  | { type: 'answer'; id: number; ok: false; message: string }
  | { type: 'log'; line: string };
