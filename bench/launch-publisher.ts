import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { forkTracked } from './brokers.ts';
import { publisherArgv, type PublisherArguments, type PublisherReport } from './publisher-process.ts';

const publisherScript = join(import.meta.dirname, 'publisher-process.ts');

/** Resolves after `milliseconds`. */
export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Polls `condition` every 50 ms until it holds; rejects, naming `what`, after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * Waits until the host has drained: its count of messages received holds still between two looks
 * (at most 10 s), then a few more frames carry the last values to the view. A host that never
 * settles is said so on stderr; the figures then show what did arrive.
 */
export async function waitForDrain(messagesReceived: () => number | Promise<number>): Promise<void> {
  let last = -1;
  try {
    await waitUntil(
      async () => {
        const received = await messagesReceived();
        const settled = received === last;
        last = received;
        return settled;
      },
      10_000,
      'the host to drain',
    );
  } catch (error) {
    console.error(`The host had not drained after 10 s (${error instanceof Error ? error.message : String(error)}); its figures include what arrived.`);
  }
  await sleep(150);
}

/** A publisher process and the reports it will send. */
export interface LaunchedPublisher {
  child: ChildProcess;
  /** The port it serves on, in `serve` mode. */
  listening: Promise<number>;
  /** Epoch ms at which publishing (the warm-up) began. */
  publishing: Promise<number>;
  done: Promise<Extract<PublisherReport, { type: 'done' }>>;
}

/** Forks a publisher process (bench/publisher-process.ts) and follows its reports. */
export function launchPublisher(options: PublisherArguments): LaunchedPublisher {
  const child = forkTracked(publisherScript, publisherArgv(options));
  const settle = <Value>() => {
    let resolve!: (value: Value) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<Value>((onResolve, onReject) => ((resolve = onResolve), (reject = onReject)));
    // Not every run awaits every report; a rejection nobody awaits must not end the process.
    promise.catch(() => undefined);
    return { promise, resolve, reject };
  };
  const listening = settle<number>();
  const publishing = settle<number>();
  const done = settle<Extract<PublisherReport, { type: 'done' }>>();
  const fail = (error: Error) => [listening, publishing, done].forEach((pending) => pending.reject(error));
  const limit = setTimeout(() => fail(new Error(`publisher at ${options.rate} msg/s did not finish in time`)), (options.warmupSeconds + options.seconds + 30) * 1000);
  child.on('message', (message: PublisherReport) => {
    if (message.type === 'listening') listening.resolve(message.port);
    else if (message.type === 'publishing') publishing.resolve(message.startTime);
    else if (message.type === 'done') {
      clearTimeout(limit);
      done.resolve(message);
    } else fail(new Error(`publisher failed: ${message.message}`));
  });
  child.once('exit', (code) => {
    clearTimeout(limit);
    fail(new Error(`publisher exited with ${code}`));
  });
  return { child, listening: listening.promise, publishing: publishing.promise, done: done.promise };
}

