import type { TwinlineSource } from '../../common/contract.ts';
import { serveView } from '../../common/view-session.ts';
import { endpointPair } from '../endpoint-pair.ts';
import { until } from './until.ts';

/** A host's answer to one request, as the view receives it. */
export interface ViewReply {
  type: 'response';
  id: number;
  ok: boolean;
  result?: unknown;
}

/** A view that keeps every message the host sends it and can ask the host for things. */
export interface CapturingView {
  /** Every message received, in order: responses, stream messages, chunks. */
  messages: unknown[];
  /** Sends request `id` for `method` and waits for its reply. */
  ask(id: number, method: string, params?: unknown): Promise<ViewReply>;
  /** Ends the host's session and closes the view's side. */
  close(): void;
}

/**
 * Connects a view to `source` over the same contract the transports carry (an in-process channel),
 * keeping everything the host sends it: for tests of what a view may and may not be told.
 * A problem the host's session reports about the view fails the test through `onProblem`.
 */
export function connectCapturingView(source: TwinlineSource, onProblem: (problem: string) => void): CapturingView {
  const messages: unknown[] = [];
  const [hostSide, viewSide] = endpointPair();
  viewSide.onMessage((message) => messages.push(message));
  const end = serveView(hostSide, source, onProblem);
  const replies = () => messages.filter((message): message is ViewReply => (message as { type?: string }).type === 'response');
  return {
    messages,
    ask: async (id, method, params = {}) => {
      viewSide.send({ type: 'request', id, method, params });
      return until(() => replies().find((reply) => reply.id === id), `the reply to ${method}`);
    },
    close: () => {
      end();
      viewSide.close();
    },
  };
}
