import type { HostStreams, StreamName, TwinlineSource, ViewCount } from '../common/contract.ts';

/**
 * How many views a server has connected, published as the `views` stream. The server counts its
 * connections here; the sources behind the views never learn about sockets.
 */
export class ViewCounter {
  private count = 0;
  private readonly listeners = new Set<(count: ViewCount) => void>();

  /** Views connected now. */
  get connected(): number {
    return this.count;
  }

  /** Counts one more view; returns the function that counts it out again (once, however often it is called). */
  add(): () => void {
    this.count++;
    this.publish();
    let counted = true;
    return () => {
      if (!counted) return;
      counted = false;
      this.count--;
      this.publish();
    };
  }

  /** Listens to the count; the current count follows right after subscribing. Returns the unsubscribe function. */
  subscribe(listener: (count: ViewCount) => void): () => void {
    this.listeners.add(listener);
    // After the subscribe request is answered, not inside it, so a view gets the count as an ordinary event.
    queueMicrotask(() => {
      if (this.listeners.has(listener)) listener({ connected: this.count });
    });
    return () => this.listeners.delete(listener);
  }

  private publish(): void {
    for (const listener of this.listeners) listener({ connected: this.count });
  }
}

/** A view's source with its `views` stream answered by the server's counter; everything else is the source's own. */
export function withViewCount(source: TwinlineSource, counter: ViewCounter): TwinlineSource {
  const subscribe = <Stream extends StreamName>(stream: Stream, listener: (data: HostStreams[Stream]) => void): (() => void) =>
    stream === 'views' ? counter.subscribe(listener as (data: HostStreams['views']) => void) : source.subscribe(stream, listener);
  // A proxy rather than a copy, so methods the source gains later (or lacks: serveView asks whether it has them) pass through as they are.
  return new Proxy(source, {
    get(target, property) {
      if (property === 'subscribe') return subscribe;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
