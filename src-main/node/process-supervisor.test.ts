import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { FrameBatch } from '../common/contract.ts';
import { HostClient } from '../common/host-client.ts';
import { ProcessSupervisor, restartDelay, type SupervisorEvent } from './process-supervisor.ts';
import { websocketEndpoint, websocketPath } from './view-server.ts';
import { frameSampleTimeAt } from '../common/frame-batch.ts';

const hostScript = fileURLToPath(new URL('./process-supervisor.test-host.ts', import.meta.url));
const plantFile = fileURLToPath(new URL('../../e2e/fixtures/test-plant.yaml', import.meta.url));

const supervisors: Array<ProcessSupervisor<ChildProcess>> = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(supervisors.splice(0).map((supervisor) => supervisor.stop()));
});

/** A supervisor whose every event is kept, with a way to wait for the next event that matches. */
function supervise(options: ConstructorParameters<typeof ProcessSupervisor<ChildProcess>>[0]) {
  const supervisor = new ProcessSupervisor<ChildProcess>(options);
  supervisors.push(supervisor);
  const events: Array<SupervisorEvent<ChildProcess>> = [];
  const waiters = new Set<{ match: (event: SupervisorEvent<ChildProcess>) => boolean; resolve: (event: SupervisorEvent<ChildProcess>) => void }>();
  supervisor.onEvent((event) => {
    events.push(event);
    for (const waiter of [...waiters]) {
      if (!waiter.match(event)) continue;
      waiters.delete(waiter);
      waiter.resolve(event);
    }
  });
  /** The next event (from now on) that matches. */
  const next = <Type extends SupervisorEvent<ChildProcess>['type']>(type: Type, match: (event: Extract<SupervisorEvent<ChildProcess>, { type: Type }>) => boolean = () => true) =>
    new Promise<Extract<SupervisorEvent<ChildProcess>, { type: Type }>>((resolve) => {
      waiters.add({ match: (event) => event.type === type && match(event as Extract<SupervisorEvent<ChildProcess>, { type: Type }>), resolve: resolve as (event: SupervisorEvent<ChildProcess>) => void });
    });
  return { supervisor, events, next };
}

/** A Node process running `code`. */
function node(code: string): ChildProcess {
  return spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
}

describe('a supervised host process', () => {
  it('comes back after a SIGKILL, and a view that reconnects receives the plant’s frames again', { timeout: 60_000 }, async () => {
    const listening = new Map<ChildProcess, Promise<string>>();
    const { supervisor, events, next } = supervise({
      start: () => {
        const child = fork(hostScript, [plantFile], { execArgv: ['--disable-warning=ExperimentalWarning'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        listening.set(
          child,
          new Promise((resolve) =>
            child.on('message', (message: { type?: unknown; url?: unknown }) => {
              if (message?.type === 'listening' && typeof message.url === 'string') resolve(message.url);
            }),
          ),
        );
        return child;
      },
      firstDelayMs: 200,
    });
    supervisor.start();
    const first = supervisor.current!;
    const firstView = await connectView(await listening.get(first)!);
    await freshFrame(firstView);

    const viewClosed = new Promise<void>((resolve) => firstView.onClose(resolve));
    const restarted = next('started', (event) => event.restart);
    process.kill(first.pid!, 'SIGKILL');
    await viewClosed;
    const started = await restarted;

    expect(started.process).not.toBe(first);
    expect(started.pid).not.toBe(first.pid);
    const exited = events.find((event) => event.type === 'exited');
    expect(exited).toMatchObject({ pid: first.pid, exit: { code: null, signal: 'SIGKILL' }, expected: false });
    const restarting = events.find((event) => event.type === 'restarting');
    expect(restarting).toMatchObject({ crashesInARow: 1, exit: { signal: 'SIGKILL' } });
    if (restarting?.type === 'restarting') expect(restarting.delayMs).toBeGreaterThanOrEqual(150);

    const secondView = await connectView(await listening.get(started.process)!);
    const description = await secondView.request('getPlant', {});
    expect(description.signalKeys).toContain('press-1/temperature');
    await freshFrame(secondView);

    // A deliberate stop is the end: no restart follows it.
    await supervisor.stop();
    expect(events.at(-1)).toMatchObject({ type: 'exited', pid: started.pid, expected: true });
    expect(events.filter((event) => event.type === 'restarting')).toHaveLength(1);
    expect(supervisor.current).toBeUndefined();
  });
});

describe('ProcessSupervisor', () => {
  it('backs off exponentially while a process keeps crashing, and gives up after the crashes it was told to allow', async () => {
    const { supervisor, events, next } = supervise({ start: () => node('process.exit(3)'), firstDelayMs: 20, random: () => 0.5, maxCrashesInARow: 4 });
    const gaveUp = next('gaveUp');
    supervisor.start();
    expect(await gaveUp).toMatchObject({ crashesInARow: 4, exit: { code: 3, signal: null } });
    expect(events.filter((event) => event.type === 'started')).toHaveLength(4);
    expect(events.flatMap((event) => (event.type === 'restarting' ? [event.delayMs] : []))).toEqual([20, 40, 80]);
    expect(supervisor.isSupervising).toBe(false);
    expect(supervisor.current).toBeUndefined();
  });

  it('starts a fresh run of backoff after a process that stayed up long enough', async () => {
    const { supervisor, events, next } = supervise({ start: () => node('setTimeout(() => process.exit(5), 150)'), firstDelayMs: 20, random: () => 0.5, stableAfterMs: 100 });
    const thirdRestart = next('restarting', () => events.filter((event) => event.type === 'restarting').length === 3);
    supervisor.start();
    await thirdRestart;
    await supervisor.stop();
    const restarts = events.filter((event) => event.type === 'restarting');
    expect(restarts.map((event) => [event.crashesInARow, event.delayMs])).toEqual([
      [1, 20],
      [1, 20],
      [1, 20],
    ]);
  });

  it('never takes a deliberate replace or stop for a crash', async () => {
    const { supervisor, events, next } = supervise({ start: () => node('setInterval(() => undefined, 1000)'), firstDelayMs: 20 });
    supervisor.start();
    const first = supervisor.current!;
    const firstExited = next('exited');
    supervisor.replace();
    const second = supervisor.current!;
    expect(second).not.toBe(first);
    expect(await firstExited).toMatchObject({ process: first, expected: true, exit: { signal: 'SIGTERM' } });
    await supervisor.stop();
    expect(events.filter((event) => event.type === 'exited').map((event) => event.expected)).toEqual([true, true]);
    expect(events.filter((event) => event.type === 'restarting')).toEqual([]);
    expect(events.filter((event) => event.type === 'started').map((event) => event.restart)).toEqual([false, false]);
    // A stopped supervisor starts again on request.
    supervisor.start();
    expect(supervisor.current).toBeDefined();
    expect(supervisor.current).not.toBe(second);
  });

  it('reports a listener that throws, and supervises on', async () => {
    const reports: string[] = [];
    const { supervisor, next } = supervise({ start: () => node('setTimeout(() => process.exit(9), 50)'), firstDelayMs: 20, reportListenerError: (message) => reports.push(message) });
    supervisor.onEvent(() => {
      throw new Error('a window that is gone');
    });
    const restarted = next('started', (event) => event.restart);
    supervisor.start();
    await restarted;
    expect(reports.some((report) => report.includes('failed on "started"') && report.includes('a window that is gone'))).toBe(true);
    expect(reports.some((report) => report.includes('failed on "restarting"'))).toBe(true);
  });

  it('counts a process that cannot be started as a crash, and tries again', async () => {
    let attempts = 0;
    const { supervisor, next } = supervise({
      start: () => {
        attempts++;
        if (attempts === 1) throw new Error('no such file');
        return spawn('/nonexistent/twinline-host', [], { stdio: 'ignore' });
      },
      firstDelayMs: 20,
    });
    const firstRestart = next('restarting');
    const secondRestart = next('restarting', (event) => event.crashesInARow === 2);
    supervisor.start();
    expect(await firstRestart).toMatchObject({ crashesInARow: 1, exit: { error: expect.stringContaining('no such file') } });
    expect(await secondRestart).toMatchObject({ exit: { error: expect.stringContaining('ENOENT') } });
  });

  it('computes delays that double from the first to the cap, within ±25 % jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((crashes) => restartDelay(crashes, 500, 30_000, () => 0.5))).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(restartDelay(1, 500, 30_000, () => 0)).toBe(375);
    expect(restartDelay(1, 500, 30_000, () => 0.999_999)).toBe(625);
  });
});

/** A view over the host's WebSocket, as the browser's view connects. */
async function connectView(url: string): Promise<HostClient> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws').replace(/\/$/, '')}${websocketPath}`);
  sockets.push(socket);
  await once(socket, 'open');
  return new HostClient(websocketEndpoint(socket));
}

/** Resolves with the first frame carrying a sample the simulator published (a live plant, not a stored state). */
function freshFrame(client: HostClient): Promise<FrameBatch> {
  return new Promise((resolve) => {
    const stop = client.subscribe('frame', (frame) => {
      if (!frame.signalSampleAge.some((_, position) => frameSampleTimeAt(frame, position) > 0)) return;
      stop();
      resolve(frame);
    });
  });
}
