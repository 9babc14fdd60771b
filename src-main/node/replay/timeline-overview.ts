import type { HostMethods, TimelineOverview } from '../../common/contract.ts';
import { Health, signalHealthAt, worseHealth, type HealthCode } from '../../common/health.ts';
import { plantHealthAt, type PlantRules } from '../../common/plant-health.ts';
import type { RecordedHistory, RecordedState } from '../recording/recorded-history.ts';

/**
 * The timeline's overview of a recorded stretch: the plant's worst health per bucket, one machine's,
 * the moments machines entered alarm, and the stretches a damaged file could not give back.
 */
export function timelineOverview(history: RecordedHistory, rules: PlantRules, { from, to, buckets, machine }: HostMethods['getTimeline']['params']): TimelineOverview {
  const range = history.timeRange();
  const bucketMs = Math.max(1, Math.ceil((to - from) / buckets));
  // The health at `from` comes from the recorded state there, by the rules live used: reading every
  // health change since the session began would grow with its length.
  const start = history.stateAt(from);
  const current: HealthCode[] = plantHealthAt(rules, start.signals, start.connected, from).machineHealth;
  const plantHealth: number[] = new Array(buckets).fill(Health.unknown);
  const machineHealth: number[] | null = machine === null ? null : new Array(buckets).fill(Health.unknown);
  const alarms: TimelineOverview['alarms'] = [];
  const worstNow = () => current.reduce<HealthCode>((worst, health) => worseHealth(worst, health), current[0] ?? Health.unknown);
  let bucket = 0;
  const closeBucketsUntil = (time: number) => {
    while (bucket < buckets && from + (bucket + 1) * bucketMs <= time) {
      bucket++;
      if (bucket < buckets) {
        plantHealth[bucket] = worstNow();
        if (machineHealth && machine !== null) machineHealth[bucket] = current[machine] ?? Health.unknown;
      }
    }
  };
  plantHealth[0] = worstNow();
  if (machineHealth && machine !== null) machineHealth[0] = current[machine] ?? Health.unknown;
  const passPausesUntil = pausesPasser(history, rules, { from, bucketMs, buckets }, {
    current,
    closeBucketsUntil,
    mark: () => {
      if (bucket >= buckets) return;
      plantHealth[bucket] = worseHealth(plantHealth[bucket] as HealthCode, worstNow());
      if (machineHealth && machine !== null) machineHealth[bucket] = worseHealth(machineHealth[bucket] as HealthCode, current[machine] ?? Health.unknown);
    },
  });
  for (const event of history.healthEvents(from, to)) {
    // A damaged file may name machines the plant lacks or health codes no rule makes; such rows are not shown.
    if (event.machine < 0 || event.machine >= current.length || !(event.health in healthNames)) continue;
    passPausesUntil(event.time);
    closeBucketsUntil(event.time);
    const previous = current[event.machine];
    current[event.machine] = event.health as HealthCode;
    if (bucket < buckets) {
      plantHealth[bucket] = worseHealth(plantHealth[bucket] as HealthCode, event.health as HealthCode);
      if (machineHealth && event.machine === machine) machineHealth[bucket] = worseHealth(machineHealth[bucket] as HealthCode, event.health as HealthCode);
    }
    if (event.health === Health.alarm && previous !== Health.alarm) alarms.push({ time: event.time, machine: event.machine, signal: null });
  }
  passPausesUntil(Number.POSITIVE_INFINITY);
  closeBucketsUntil(to + bucketMs);
  nameAlarms(history, rules, alarms);
  return { range, bucketMs, plantHealth, machineHealth, alarms, gaps: history.damagedRanges?.(from, to) ?? [] };
}

/**
 * Longest step between two alarms that is read through event by event instead of from a fresh recorded
 * state: about one chunk (10 s by default), what reading a state costs, so that naming every alarm costs
 * at most about one chunk each however they fall, and never more than reading the range once.
 */
export const readThroughMs = 10_000;

/**
 * Names every alarm by its signal from the recorded state at its moment, in one pass in time order:
 * alarms close together (a storm, a machine flapping) share one reading of the events between them; an
 * alarm far from the one before, or after a pause between files (the next file starts from its own
 * state), starts from the recorded state at its moment.
 */
function nameAlarms(history: RecordedHistory, rules: PlantRules, alarms: TimelineOverview['alarms']): void {
  if (alarms.length === 0) return;
  const pauses = history.pauses?.(alarms[0]!.time, alarms.at(-1)!.time) ?? [];
  const pauseBetween = (earlier: number, later: number) => pauses.some((pause) => pause.start < later && pause.end > earlier);
  let first = 0;
  while (first < alarms.length) {
    let last = first;
    while (last + 1 < alarms.length && alarms[last + 1]!.time - alarms[last]!.time <= readThroughMs && !pauseBetween(alarms[last]!.time, alarms[last + 1]!.time)) last++;
    const start = alarms[first]!.time;
    // The state at the run's first alarm includes every event at that moment; the events after it bring it to each next alarm.
    const state = history.stateAt(start);
    const events = last > first ? history.eventsBetween(start, alarms[last]!.time)[Symbol.iterator]() : undefined;
    let pending = events?.next();
    for (let index = first; index <= last; index++) {
      const alarm = alarms[index]!;
      while (events && pending && !pending.done && pending.value.time <= alarm.time) {
        if (pending.value.time > start) history.apply(pending.value.code, pending.value.value, pending.value.time, state.signals, state.connected);
        pending = events.next();
      }
      alarm.signal = signalInAlarm(rules, state, alarm.machine, alarm.time);
    }
    events?.return?.(undefined);
    first = last + 1;
  }
}

/** The machine's first signal (in signal order) in alarm at `time` in `state` by live's rules, or null when none is. */
function signalInAlarm(rules: PlantRules, state: RecordedState, machine: number, time: number): number | null {
  const found = rules.machineSignals[machine]?.find(
    (signal) => signalHealthAt(state.signals[signal], rules.rules[signal]!, time, state.connected[rules.signalBroker[signal]!] ?? false) === Health.alarm,
  );
  return found ?? null;
}

const healthNames: Record<number, true> = Object.fromEntries(Object.values(Health).map((code) => [code, true]));

/** Most moments of one pause between files whose health is computed: a long pause is sampled, not read per bucket. */
const maxPauseSamples = 512;

/**
 * What the strip shows where nothing was recorded between two files (the host was not running): what
 * the scene shows there — the earlier file's last state, aged by live's rules (offline once its
 * brokers were disconnected at the stop, stale as its samples age) — and from the next file's first
 * moment that file's state, never the last health change carried across. Returns a function that
 * applies every pause ending by `time` to the overview being built (through `current`, the bucket
 * closing and `mark`, which folds `current` into the open bucket).
 */
export function pausesPasser(
  history: RecordedHistory,
  rules: PlantRules,
  { from, bucketMs, buckets }: { from: number; bucketMs: number; buckets: number },
  overview: { current: HealthCode[]; closeBucketsUntil: (time: number) => void; mark: () => void },
): (time: number) => void {
  const end = from + buckets * bucketMs;
  const pauses = history.pauses?.(from, end) ?? [];
  let next = 0;
  const show = (health: readonly HealthCode[]) => overview.current.splice(0, overview.current.length, ...health);
  return (time) => {
    while (next < pauses.length && pauses[next]!.end <= time) {
      const pause = pauses[next++]!;
      const [first, last] = [Math.max(from, pause.start), Math.min(end, pause.end)];
      if (last <= first) continue;
      const frozen = history.stateAt(first);
      const healthAt = (moment: number) => plantHealthAt(rules, frozen.signals, frozen.connected, moment).machineHealth;
      overview.closeBucketsUntil(first);
      show(healthAt(first));
      overview.mark();
      // Each bucket the pause covers holds its health just before the bucket ends and from where it starts.
      const firstBoundary = from + (Math.floor((first - from) / bucketMs) + 1) * bucketMs;
      const step = bucketMs * Math.max(1, Math.ceil((last - firstBoundary) / bucketMs / maxPauseSamples));
      for (let boundary = firstBoundary; boundary < last; boundary += step) {
        show(healthAt(boundary - 1));
        overview.mark();
        show(healthAt(boundary));
        overview.closeBucketsUntil(boundary);
      }
      show(healthAt(last - 1));
      overview.mark();
      if (pause.end >= end) continue;
      // From the next file's first moment, its own state: a machine it never reports on is not left in the last file's health.
      const resumed = history.stateAt(pause.end);
      overview.closeBucketsUntil(pause.end);
      show(plantHealthAt(rules, resumed.signals, resumed.connected, pause.end).machineHealth);
      overview.mark();
    }
  };
}
