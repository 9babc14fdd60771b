import { getPriority, constants } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

describe('lowerThisThreadsPriority', () => {
  it.runIf(process.platform === 'linux')('lowers the worker thread that calls it, and only that thread', async () => {
    const before = getPriority(process.pid);
    const script = `
      const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(new URL('./thread-priority.ts', import.meta.url).href)}).then(({ lowerThisThreadsPriority }) => parentPort.postMessage(lowerThisThreadsPriority()));
    `;
    const worker = new Worker(script, { eval: true });
    const result = await new Promise<{ thread?: number; reason?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    try {
      expect(result.reason).toBeUndefined();
      expect(result.thread).not.toBe(process.pid);
      expect(getPriority(result.thread!)).toBe(constants.priority.PRIORITY_LOW);
      // The process's own (main) thread keeps its priority: ingest is not slowed.
      expect(getPriority(process.pid)).toBe(before);
    } finally {
      await worker.terminate();
    }
  });
});
