import type { HostMethods, HostStreams, MessageEndpoint, MethodName, RemoteError, StreamName } from './contract.ts';
import { streamNames } from './contract.ts';

/** A request the host refused. */
export class HostRequestError extends Error {
  readonly code: RemoteError['code'] | 'disconnected';
  constructor(code: RemoteError['code'] | 'disconnected', message: string) {
    super(message);
    this.name = 'HostRequestError';
    this.code = code;
  }
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  /** Receives the parts of a long result that arrive before the response. */
  onChunk?(data: string): void;
}

/**
 * The view's side of the contract: typed requests and stream subscriptions over any endpoint.
 * A stream is subscribed at the host while at least one local listener wants it.
 */
export class HostClient {
  private readonly endpoint: MessageEndpoint;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<StreamName, Set<(data: never) => void>>();
  private readonly closeListeners = new Set<() => void>();
  private readonly errorListeners = new Set<(message: string) => void>();
  private closed = false;

  constructor(endpoint: MessageEndpoint) {
    this.endpoint = endpoint;
    endpoint.onMessage((message) => this.receive(message));
    endpoint.onClose(() => this.handleClose());
  }

  /** Sends a request and resolves with its typed result. */
  request<Method extends MethodName>(method: Method, params: HostMethods[Method]['params'], onChunk?: (data: string) => void): Promise<HostMethods[Method]['result']> {
    if (this.closed) return Promise.reject(new HostRequestError('disconnected', 'the connection to the host is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject, onChunk });
      this.endpoint.send({ type: 'request', id, method, params });
    });
  }

  /** Recorded samples as CSV: the host streams the text in chunks, gathered here into one string. */
  async exportCsv(params: HostMethods['exportCsv']['params']): Promise<{ csv: string; rows: number }> {
    const parts: string[] = [];
    const { rows } = await this.request('exportCsv', params, (data) => parts.push(data));
    return { csv: parts.join(''), rows };
  }

  /** The alarm journal of a recorded range as CSV, gathered from the host's chunks into one string. */
  async exportAlarmJournal(params: HostMethods['exportAlarmJournal']['params']): Promise<{ csv: string; rows: number }> {
    const parts: string[] = [];
    const { rows } = await this.request('exportAlarmJournal', params, (data) => parts.push(data));
    return { csv: parts.join(''), rows };
  }

  /** Listens to a stream; returns the unsubscribe function. */
  subscribe<Stream extends StreamName>(stream: Stream, listener: (data: HostStreams[Stream]) => void): () => void {
    let set = this.listeners.get(stream);
    if (!set) {
      set = new Set();
      this.listeners.set(stream, set);
    }
    const first = set.size === 0;
    set.add(listener as (data: never) => void);
    if (first) this.request('subscribe', { streams: [stream] }).catch((error: unknown) => this.requestFailed(`subscribing to ${stream}`, error));
    return () => {
      const current = this.listeners.get(stream);
      if (!current?.delete(listener as (data: never) => void)) return;
      if (current.size === 0 && !this.closed) this.request('unsubscribe', { streams: [stream] }).catch((error: unknown) => this.requestFailed(`unsubscribing from ${stream}`, error));
    };
  }

  /** Called when the connection to the host ends; returns a function that stops listening. */
  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Called with a description whenever the host sends something the client cannot use. */
  onProtocolError(listener: (message: string) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  close(): void {
    this.endpoint.close();
    this.handleClose();
  }

  private receive(raw: unknown): void {
    const message = typeof raw === 'string' ? safeParse(raw) : raw;
    if (!message || typeof message !== 'object' || !('type' in message)) return this.protocolError('a message without a type');
    const typed = message as { type: unknown; id?: unknown; ok?: unknown; result?: unknown; error?: RemoteError; stream?: unknown; data?: unknown };
    if (typed.type === 'response') {
      if (typeof typed.id !== 'number') {
        return this.protocolError(`the host refused a message: ${typed.error?.message ?? 'no detail'}`);
      }
      const pending = this.pending.get(typed.id);
      if (!pending) return;
      this.pending.delete(typed.id);
      if (typed.ok === true) pending.resolve(typed.result);
      else pending.reject(new HostRequestError(typed.error?.code ?? 'internal', typed.error?.message ?? 'request failed'));
      return;
    }
    if (typed.type === 'chunk') {
      const pending = typeof typed.id === 'number' ? this.pending.get(typed.id) : undefined;
      if (!pending?.onChunk || typeof typed.data !== 'string') return this.protocolError('a chunk for no request that expects one');
      pending.onChunk(typed.data);
      return;
    }
    if (typed.type === 'event') {
      if (!streamNames.includes(typed.stream as StreamName) || typed.data === null || typeof typed.data !== 'object') {
        return this.protocolError(`an event of unknown stream ${String(typed.stream)}`);
      }
      for (const listener of this.listeners.get(typed.stream as StreamName) ?? []) listener(typed.data as never);
      return;
    }
    if (typed.type !== 'hello') this.protocolError(`a message of unknown type ${String(typed.type)}`);
  }

  /** A request of the client's own that failed; one cut off by the connection closing needs no word, the close says it. */
  private requestFailed(what: string, error: unknown): void {
    if (error instanceof HostRequestError && error.code === 'disconnected') return;
    this.protocolError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  private protocolError(message: string): void {
    for (const listener of this.errorListeners) listener(message);
  }

  private handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pending.values()) pending.reject(new HostRequestError('disconnected', 'the connection to the host closed'));
    this.pending.clear();
    for (const listener of this.closeListeners) listener();
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
