import type { FrameBuffer, FrameBufferState } from './frame-buffer.ts';

/** A forward jump of the shown clock longer than this, while replaying, is taken for a seek rather than for quiet time. */
const replayJumpMs = 5000;

/** When one signal or machine entered its current health, and whether that moment was seen or is only a bound. */
export interface HealthMoment {
  /** Host clock (ms since the epoch): when the change was seen, or when the view first saw the state. */
  since: number;
  /** True when the view saw the change happen; false when the state already held when first seen (at start, after a seek), so it began then or earlier. */
  exact: boolean;
}

/**
 * When each signal and machine entered its health, derived in the view from the frames: a health code
 * that changes between two frames changed at the later frame's time. Frames do not carry the host's
 * own "since" times, so a state already present when the view first sees it (at start, after a seek or
 * a switch between live and replay) is dated only as "then or earlier".
 */
export class HealthSinceTracker {
  private readonly signalCodes: Uint8Array;
  private readonly machineCodes: Uint8Array;
  private readonly signalSince: Float64Array;
  private readonly machineSince: Float64Array;
  private readonly signalExact: Uint8Array;
  private readonly machineExact: Uint8Array;
  private lastTime: number | undefined;

  constructor(signalCount: number, machineCount: number) {
    this.signalCodes = new Uint8Array(signalCount);
    this.machineCodes = new Uint8Array(machineCount);
    this.signalSince = new Float64Array(signalCount);
    this.machineSince = new Float64Array(machineCount);
    this.signalExact = new Uint8Array(signalCount);
    this.machineExact = new Uint8Array(machineCount);
  }

  /**
   * Takes the buffer's state after a frame. `continuous` says whether it follows the previous one in
   * time (false after a seek or a mode switch): only then is a change dated exactly.
   */
  observe(state: FrameBufferState, continuous: boolean): void {
    const time = state.hostTime;
    const seen = this.lastTime !== undefined && continuous && time >= this.lastTime;
    this.lastTime = time;
    track(state.signalHealth, this.signalCodes, this.signalSince, this.signalExact, time, seen);
    track(state.machineHealth, this.machineCodes, this.machineSince, this.machineExact, time, seen);
  }

  /** When the signal at `index` entered its health. */
  signal(index: number): HealthMoment {
    return { since: this.signalSince[index] ?? 0, exact: this.signalExact[index] === 1 };
  }

  /** When the machine at `index` entered its health. */
  machine(index: number): HealthMoment {
    return { since: this.machineSince[index] ?? 0, exact: this.machineExact[index] === 1 };
  }
}

/** Dates every code that changed (all of them when the frames were not continuous); allocates nothing. */
function track(codes: Uint8Array, known: Uint8Array, since: Float64Array, exact: Uint8Array, time: number, seen: boolean): void {
  for (let index = 0; index < known.length; index++) {
    const code = codes[index]!;
    if (seen && code === known[index]) continue;
    known[index] = code;
    since[index] = time;
    exact[index] = seen ? 1 : 0;
  }
}

const trackers = new WeakMap<FrameBuffer, HealthSinceTracker>();

/**
 * The tracker of a frame buffer, started on first use and fed by every frame after it. `isReplaying`
 * tells a long forward jump of the replay clock (a seek) from a quiet stretch of live.
 */
export function healthSinceOf(buffer: FrameBuffer, isReplaying: () => boolean): HealthSinceTracker {
  const existing = trackers.get(buffer);
  if (existing) return existing;
  const first = buffer.getState();
  const tracker = new HealthSinceTracker(first.signalHealth.length, first.machineHealth.length);
  trackers.set(buffer, tracker);
  tracker.observe(first, false);
  let replaying = isReplaying();
  buffer.subscribe((state, previous) => {
    const nowReplaying = isReplaying();
    const switched = nowReplaying !== replaying;
    replaying = nowReplaying;
    const jumped = state.hostTime < previous.hostTime || (replaying && state.hostTime - previous.hostTime > replayJumpMs);
    tracker.observe(state, !switched && !jumped);
  });
  return tracker;
}
