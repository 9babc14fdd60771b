import { describe, expect, it } from 'vitest';
import { animationFrameCpu, type TraceEvent } from './animation-frame-cpu.ts';

const fired = (tid: number, ts: number, dur: number, tdur: number | undefined): TraceEvent => ({ name: 'FireAnimationFrame', ph: 'X', pid: 1, tid, ts, dur, tdur });

describe('animationFrameCpu', () => {
  it('adds up the CPU time of the handlers each frame ran back to back, on the thread that ran most of them', () => {
    const events: TraceEvent[] = [
      fired(7, 100_000, 8_000, 3_000),
      // A second handler of the same frame, right after the first.
      fired(7, 108_200, 1_000, 500),
      { name: 'FunctionCall', ph: 'X', pid: 1, tid: 7, ts: 109_500, dur: 50_000, tdur: 50_000 },
      fired(7, 116_700, 20_000, 2_000),
      // Another thread's lone handler (a worker's) is not the page's.
      fired(9, 117_000, 1_000, 1_000),
    ];
    const { cpuMs, wallMs } = animationFrameCpu(events);
    expect(cpuMs).toEqual([3.5, 2]);
    expect(wallMs).toEqual([9, 20]);
  });

  it('refuses a trace without thread CPU times rather than report wall time as CPU', () => {
    expect(() => animationFrameCpu([fired(7, 0, 1_000, undefined)])).toThrow(/no thread CPU time/);
  });
});
