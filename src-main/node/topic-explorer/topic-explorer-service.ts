import { Worker } from 'node:worker_threads';
import type { TopicExplorerLimits, TopicTreeView } from '../../common/topic-explorer.ts';
import { defaultTopicExplorerLimits } from '../../common/topic-explorer.ts';
import type { HostMethods } from '../../common/contract.ts';
import { RateLimit } from '../../common/rate-limit.ts';
import { workerExecArgv, workerScript } from '../worker-script.ts';
import type { TopicExplorerReply, TopicExplorerRequest, TopicExplorerWorkerData } from './topic-explorer-protocol.ts';

/** Longest a view waits for the explorer's worker to answer. */
const answerTimeoutMs = 5000;
/** Heap of the explorer's worker: its caps keep it far below this. */
const workerHeapMb = 256;
/** Opens with a new filter all views together may make at once, then one every `explorerOpenEveryMs`: each reconnects the explorer's clients to every broker with the plant's credentials (or starts its worker). */
export const explorerOpenBurst = 10;
/** See `explorerOpenBurst`. */
export const explorerOpenEveryMs = 2000;

/** One view's handle on the explorer. */
export interface TopicExplorerView {
  open(filter: string): { open: true; filter: string };
  close(): { open: false };
  tree(params: HostMethods['getTopicTree']['params']): Promise<TopicTreeView>;
  /** Closes the explorer for this view, as when the view goes away. */
  dispose(): void;
}

interface Pending {
  resolve(result: Omit<TopicTreeView, 'open'>): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The host's topic explorer: while at least one view has it open, a worker thread subscribes every
 * plant broker with the open views' filters through its own MQTT clients and keeps the topic tree;
 * when the last view closes it, the worker ends and everything it kept goes with it.
 */
export class TopicExplorerService {
  private readonly data: TopicExplorerWorkerData;
  private readonly log: (line: string) => void;
  private readonly filters = new Map<object, string>();
  private readonly pending = new Map<number, Pending>();
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly openRate: RateLimit;

  constructor(data: TopicExplorerWorkerData, log: (line: string) => void, clock: () => number = Date.now) {
    this.data = data;
    this.log = log;
    this.openRate = new RateLimit({ burst: explorerOpenBurst, everyMs: explorerOpenEveryMs, clock });
  }

  /** Views with the explorer open now. */
  get openViews(): number {
    return this.filters.size;
  }

  /** A handle for one view: it subscribes with its filter while open. */
  forView(): TopicExplorerView {
    const key = {};
    return {
      open: (filter) => {
        // A view flipping filters (or opening and closing) would make the brokers see the plant's user log in again and again.
        if (this.filters.get(key) !== filter && !this.openRate.take()) throw new Error(`the topic explorer is opened with new filters too often; try again in ${Math.ceil(this.openRate.waitMs() / 1000)} s`);
        this.filters.set(key, filter);
        this.update();
        return { open: true, filter };
      },
      close: () => {
        if (this.filters.delete(key)) this.update();
        return { open: false };
      },
      tree: async (params) => {
        const filter = this.filters.get(key);
        if (filter === undefined) return this.closedView();
        const result = await this.query({ filter, expanded: params.expanded, selected: params.selected });
        return { open: true, ...result };
      },
      dispose: () => {
        if (this.filters.delete(key)) this.update();
      },
    };
  }

  /** Ends the worker and fails what waits on it. */
  async stop(): Promise<void> {
    this.filters.clear();
    await this.endWorker('the host is stopping');
  }

  private closedView(): TopicTreeView {
    return { open: false, filter: '', time: Date.now(), limits: { ...defaultTopicExplorerLimits, ...this.data.limits } as TopicExplorerLimits, totals: { topics: 0, messages: 0, payloadBytesKept: 0, droppedMessages: 0, droppedPayloads: 0 }, brokers: [], listings: [], selected: null };
  }

  /** Starts, resubscribes or ends the worker to match the open views. */
  private update(): void {
    if (this.filters.size === 0) {
      void this.endWorker('the topic explorer was closed');
      return;
    }
    this.post({ type: 'subscribe', filters: [...new Set(this.filters.values())] });
  }

  private query(query: Extract<TopicExplorerRequest, { type: 'query' }>['query']): Promise<Omit<TopicTreeView, 'open'>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the topic explorer did not answer within ${answerTimeoutMs / 1000} s`));
      }, answerTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.post({ type: 'query', id, query });
    });
  }

  private post(request: TopicExplorerRequest): void {
    const fresh = this.worker === undefined;
    const worker = this.ensureWorker();
    // A new worker first learns what to subscribe to, whatever was asked.
    if (fresh && request.type === 'query') worker.postMessage({ type: 'subscribe', filters: [...new Set(this.filters.values())] } satisfies TopicExplorerRequest);
    worker.postMessage(request);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerScript(import.meta.url, 'topic-explorer-worker'), {
      workerData: this.data,
      execArgv: workerExecArgv,
      resourceLimits: { maxOldGenerationSizeMb: workerHeapMb, maxYoungGenerationSizeMb: 32 },
      stdout: false,
      stderr: false,
    });
    this.worker = worker;
    worker.on('message', (reply: TopicExplorerReply) => {
      try {
        this.receive(reply);
      } catch (error) {
        this.log(`the topic explorer's answer could not be handled: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    worker.on('error', (error) => {
      if (this.worker !== worker) return;
      this.log(`the topic explorer stopped: ${error.message}`);
      void this.endWorker(`the topic explorer stopped: ${error.message}`);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.log(`the topic explorer stopped unexpectedly (exit code ${code})`);
      void this.endWorker(`the topic explorer stopped unexpectedly (exit code ${code})`);
    });
    // The host may exit while a view still has the explorer open.
    worker.unref();
    return worker;
  }

  private receive(reply: TopicExplorerReply): void {
    if (reply.type === 'log') {
      this.log(reply.line);
      return;
    }
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    clearTimeout(pending.timer);
    if (reply.ok) pending.resolve(reply.result);
    else pending.reject(new Error(reply.message));
  }

  private async endWorker(reason: string): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new Error(reason));
    }
    this.pending.clear();
    // Terminating ends its MQTT clients' sockets with it; the brokers drop those subscriptions.
    await worker?.terminate();
  }
}
