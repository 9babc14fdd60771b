import type { TwinlineSource } from '../../common/contract.ts';
import type { TopicExplorerView } from './topic-explorer-service.ts';

/** A view's source that also answers the topic explorer's requests, and closes the explorer for the view when it goes. */
export function withTopicExplorer(source: TwinlineSource, explorer: TopicExplorerView): TwinlineSource {
  const added: Partial<TwinlineSource> = {
    openTopicExplorer: (filter) => explorer.open(filter),
    closeTopicExplorer: () => explorer.close(),
    topicTree: (params) => explorer.tree(params),
    dispose: () => {
      explorer.dispose();
      source.dispose?.();
    },
  };
  // A proxy rather than a copy, so the source's own methods (and those it lacks) pass through as they are.
  return new Proxy(source, {
    get(target, property) {
      if (typeof property === 'string' && Object.hasOwn(added, property)) return added[property as keyof TwinlineSource];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
