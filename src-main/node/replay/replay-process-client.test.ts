import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProcessSchedule } from '../process-schedule.ts';
import type { CpuTimes } from '../spare-cpu.ts';
import type { YieldLevel } from '../thread-priority.ts';
import { ReplayProcessClient, type ReplayProcessChannel } from './replay-process-client.ts';
import type { FromReplayProcess, ToReplayProcess } from './replay-protocol.ts';
import { ReplayThreadMoved } from './replay-thread.ts';

/** A replay process the test plays: what it was sent, and whether the host stopped it. */
interface FakeProcess {
  level: YieldLevel;
  pid: number;
  sent: ToReplayProcess[];
  stopped: boolean;
  answer(message: FromReplayProcess): void;
}

/** A client over fake processes, with the schedule, CPU times and host CPU the test moves by hand. */
function fakeClient() {
  const processes: FakeProcess[] = [];
  const lines: string[] = [];
  const readings = {
    schedule: { cpuMs: 0, waitMs: new Map([[1, 0]]) } as ProcessSchedule,
    cpu: { idle: 0, total: 0 } as CpuTimes,
    hostCpuMs: 0,
  };
  const client = new ReplayProcessClient(
    (level) => {
      let listener: ((message: FromReplayProcess) => void) | undefined;
      const fake: FakeProcess = { level, pid: 5000 + processes.length, sent: [], stopped: false, answer: (message) => listener?.(message) };
      processes.push(fake);
      const channel: ReplayProcessChannel = {
        send: (message) => fake.sent.push(message),
        onMessage: (heard) => (listener = heard),
        onGone: () => undefined,
        pid: () => fake.pid,
        stop: () => (fake.stopped = true),
      };
      return channel;
    },
    undefined,
    (line) => lines.push(line),
    { schedule: () => ({ cpuMs: readings.schedule.cpuMs, waitMs: new Map(readings.schedule.waitMs) }), cpuTimes: () => ({ ...readings.cpu }), hostCpuMs: () => readings.hostCpuMs, cores: 2 },
  );
  /** One second with every core busy (by other programs, unless the host used `hostMs`): replay waits and barely runs. */
  const busySecond = (hostMs = 20) => {
    readings.schedule.waitMs.set(1, readings.schedule.waitMs.get(1)! + 950);
    readings.schedule.cpuMs += 1;
    readings.hostCpuMs += hostMs;
    readings.cpu = { idle: readings.cpu.idle, total: readings.cpu.total + 200 };
  };
  /** One quiet second: one of the two cores idle. */
  const quietSecond = () => (readings.cpu = { idle: readings.cpu.idle + 100, total: readings.cpu.total + 200 });
  return { client, processes, lines, busySecond, quietSecond };
}

const limits = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };
const status = (id: number) => ({ id, method: 'status' as const, params: {}, baseFile: undefined });

afterEach(() => {
  vi.useRealTimers();
});

describe.runIf(process.platform === 'linux')('the replay process client', () => {
  it('moves replay to below normal after 10 s starved with a request waiting, and back to the idle class after a minute with a core free and nothing waiting', async () => {
    // Immediates stay real: a thread hears that its process went on the next turn of the loop.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] });
    const { client, processes, lines, busySecond, quietSecond } = fakeClient();
    const thread = client.start({ plant: { machines: [] }, hasLive: true } as never, limits);
    const errors: Error[] = [];
    thread.on('error', (error) => errors.push(error));
    thread.postMessage(status(1));
    expect(processes.map(({ level }) => level)).toEqual(['idle']);

    for (let second = 0; second < 10; second++) {
      busySecond();
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(processes).toHaveLength(1);
    busySecond();
    await vi.advanceTimersByTimeAsync(1000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(processes[0]!.stopped).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ReplayThreadMoved);
    expect(lines.join('\n')).toMatch(/other programs keep every core busy; replay starts again at below-normal priority/);

    // The view's next thread starts in a below-normal process.
    const again = client.start({ plant: { machines: [] }, hasLive: true } as never, limits);
    again.postMessage(status(2));
    expect(processes.map(({ level }) => level)).toEqual(['idle', 'below-normal']);
    const belowNormal = processes[1]!;
    // Quiet for two minutes, but a request waits: it stays.
    for (let second = 0; second < 125; second++) {
      quietSecond();
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(belowNormal.stopped).toBe(false);
    // Answered: nothing waits, and after the next quiet minute it returns to the idle class.
    belowNormal.answer({ type: 'message', thread: 2, message: { type: 'response', id: 2, ok: true, result: null } });
    for (let second = 0; second < 61; second++) {
      quietSecond();
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(belowNormal.stopped).toBe(true);
    expect(lines.at(-1)).toMatch(/other programs left 1\.0 cores free for a minute, so replay returns to the idle class/);
    client.start({ plant: { machines: [] }, hasLive: true } as never, limits);
    expect(processes.map(({ level }) => level)).toEqual(['idle', 'below-normal', 'idle']);
  });

  it('does not move replay while nothing waits on it, or while the host itself is the one busy', async () => {
    vi.useFakeTimers();
    const { client, processes, busySecond } = fakeClient();
    const thread = client.start({ plant: { machines: [] }, hasLive: true } as never, limits);
    thread.on('error', () => undefined);
    for (let second = 0; second < 30; second++) {
      busySecond();
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(processes[0]!.stopped).toBe(false);
    // A request waits, but the host uses most of a core: the idle class does what it is for.
    const busyHost = fakeClient();
    const busyThread = busyHost.client.start({ plant: { machines: [] }, hasLive: true } as never, limits);
    busyThread.on('error', () => undefined);
    busyThread.postMessage(status(1));
    for (let second = 0; second < 30; second++) {
      busyHost.busySecond(900);
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(busyHost.processes[0]!.stopped).toBe(false);
  });
});
