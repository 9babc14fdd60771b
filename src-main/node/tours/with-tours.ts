import type { TwinlineSource } from '../../common/contract.ts';
import type { ToursStore } from './tours-file.ts';

/** A view's source that also answers for the viewpoints and tours kept in `store`. */
export function withTours(source: TwinlineSource, store: ToursStore): TwinlineSource {
  const added: Partial<TwinlineSource> = {
    tours: () => store.view(),
    saveTours: (document) => store.save(document),
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
