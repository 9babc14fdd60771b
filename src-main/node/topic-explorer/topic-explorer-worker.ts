// Entry of the topic explorer's worker thread: its MQTT clients and topic tree, off the host's ingest loop.
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadsPriority } from '../thread-priority.ts';
import { TopicCollector } from './topic-collector.ts';
import type { TopicExplorerReply, TopicExplorerRequest, TopicExplorerWorkerData } from './topic-explorer-protocol.ts';

const port = parentPort;
if (!port) throw new Error('topic-explorer-worker runs as a worker thread');
// The explorer yields the CPU to ingest; where the priority cannot be lowered it runs as it is, bounded by its caps.
lowerThisThreadsPriority();
const post = (reply: TopicExplorerReply) => port.postMessage(reply);
const collector = new TopicCollector({ ...(workerData as TopicExplorerWorkerData), log: (line) => post({ type: 'log', line }) });

// Subscriptions change one after another: a reconnect must finish before the next one starts.
let subscribing = Promise.resolve();

port.on('message', (request: TopicExplorerRequest) => {
  if (request.type === 'subscribe') {
    subscribing = subscribing.then(() => collector.subscribe(request.filters)).catch((error: unknown) => post({ type: 'log', line: `the topic explorer could not subscribe with ${request.filters.join(', ')}: ${error instanceof Error ? error.message : String(error)}` }));
    return;
  }
  try {
    post({ type: 'answer', id: request.id, ok: true, result: collector.answer(request.query) });
  } catch (error) {
    post({ type: 'answer', id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
