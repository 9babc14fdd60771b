/** One event of a Chromium trace (the JSON `traceEvents` of a `devtools.timeline` trace), as far as it is read here. */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  /** Start, in µs. */
  ts: number;
  /** Wall duration, in µs. */
  dur?: number;
  /** CPU time of the thread over the event, in µs: what it ran, not the time it waited or was put aside. */
  tdur?: number;
}

/** What the page's thread spent in the requestAnimationFrame handlers of each frame. */
export interface AnimationFrameCpu {
  /** Per frame, the handlers' CPU time on the page's thread, in ms. */
  cpuMs: number[];
  /** Per frame, the handlers' wall time, in ms (the same span as `cpuMs`, with the time the thread was not running). */
  wallMs: number[];
}

/**
 * Handlers of one frame run back to back: a handler that starts within this many µs of the end of the
 * one before belongs to the same frame. Frames are at least a display refresh (≥ 6.9 ms at 144 Hz) apart.
 */
const sameFrameGapUs = 1_000;

/**
 * The CPU time per frame of the requestAnimationFrame handlers (`FireAnimationFrame` events) of the
 * thread that ran most of them (the page's main thread). CPU time, unlike wall time, leaves out the
 * time the thread sat descheduled while other processes (here the host, the broker and a software GPU
 * on the same two cores) ran: it is the cost of the frame's JavaScript and WebGL calls themselves.
 * Throws when the trace has no thread CPU times (a platform without thread clocks).
 */
export function animationFrameCpu(events: readonly TraceEvent[]): AnimationFrameCpu {
  const fired = events.filter((event) => event.name === 'FireAnimationFrame' && event.ph === 'X' && event.dur !== undefined);
  const perThread = new Map<string, TraceEvent[]>();
  for (const event of fired) {
    const key = `${event.pid}:${event.tid}`;
    const list = perThread.get(key);
    if (list) list.push(event);
    else perThread.set(key, [event]);
  }
  const busiest = [...perThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  if (busiest.some((event) => event.tdur === undefined)) throw new Error('the trace has no thread CPU time (tdur) for its animation frames');
  busiest.sort((a, b) => a.ts - b.ts);
  const cpuMs: number[] = [];
  const wallMs: number[] = [];
  let end = -Infinity;
  for (const event of busiest) {
    if (event.ts - end > sameFrameGapUs) {
      cpuMs.push(0);
      wallMs.push(0);
    }
    cpuMs[cpuMs.length - 1]! += event.tdur! / 1000;
    wallMs[wallMs.length - 1]! += event.dur! / 1000;
    end = event.ts + event.dur!;
  }
  return { cpuMs, wallMs };
}
