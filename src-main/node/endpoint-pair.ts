import type { MessageEndpoint } from '../common/contract.ts';

/** Two connected endpoints, delivering asynchronously and by copy, as a MessagePort does. */
export function endpointPair(): [MessageEndpoint, MessageEndpoint] {
  const sides = [0, 1].map(() => ({ messages: new Set<(message: unknown) => void>(), closes: new Set<() => void>(), closed: false }));
  const make = (own: number): MessageEndpoint => {
    const me = sides[own]!;
    const other = sides[1 - own]!;
    return {
      send(message) {
        if (me.closed) return;
        const copy = structuredClone(message);
        setImmediate(() => {
          if (!other.closed) for (const listener of [...other.messages]) listener(copy);
        });
      },
      onMessage(listener) {
        me.messages.add(listener);
        return () => me.messages.delete(listener);
      },
      onClose(listener) {
        me.closes.add(listener);
        return () => me.closes.delete(listener);
      },
      close() {
        for (const side of sides) {
          if (side.closed) continue;
          side.closed = true;
          for (const listener of [...side.closes]) listener();
        }
      },
    };
  };
  return [make(0), make(1)];
}

/** Lets every delivery in flight, and any reply it prompts, arrive: the pair delivers in setImmediate order. */
export async function deliveriesSettled(): Promise<void> {
  for (let round = 0; round < 5; round++) await new Promise((resolve) => setImmediate(resolve));
}
