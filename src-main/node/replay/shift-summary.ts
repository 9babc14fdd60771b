import type { HostMethods } from '../../common/contract.ts';
import { Health, healthStates, type HealthCode } from '../../common/health.ts';
import { plantHealthAt, type PlantRules } from '../../common/plant-health.ts';
import { maxShiftSummaryMs, maxTopMachines, type LineSummary, type MachineSummary, type ShiftSummary } from '../../common/shift-summary.ts';
import type { RecordedHistory } from '../recording/recorded-history.ts';
import { pausesPasser } from './timeline-overview.ts';

/**
 * The shift summary of a recorded range: how long each machine was in each state, from the recorded
 * state at the range's start and every machine health change inside it (as live computed them), with
 * the pauses between files shown as the timeline shows them. Summed per line; the machines longest in
 * alarm listed. The range is cut to what the recording holds and refused beyond a month.
 */
export function shiftSummary(history: RecordedHistory, rules: PlantRules, { from: requestedFrom, to: requestedTo }: HostMethods['getShiftSummary']['params']): ShiftSummary {
  if (requestedTo - requestedFrom > maxShiftSummaryMs) throw new Error(`a shift summary covers at most ${maxShiftSummaryMs / 86_400_000} days; choose a shorter range`);
  const range = history.timeRange();
  const from = Math.max(requestedFrom, range.start);
  const to = Math.max(from, Math.min(requestedTo, range.end));
  const plant = history.plant;
  const machineCount = rules.machineSignals.length;
  const milliseconds = Array.from({ length: machineCount }, () => new Array<number>(healthStates.length).fill(0));
  const alarmsEntered = new Array<number>(machineCount).fill(0);
  if (to > from) {
    const start = history.stateAt(from);
    const current: HealthCode[] = plantHealthAt(rules, start.signals, start.connected, from).machineHealth;
    // What is counted from `since` on: `current` as last marked (a pause sets `current` to a moment's health, then marks it).
    const counted = [...current];
    let since = from;
    const countUntil = (time: number) => {
      const until = Math.min(time, to);
      if (until <= since) return;
      for (let machine = 0; machine < machineCount; machine++) milliseconds[machine]![counted[machine]!]! += until - since;
      since = until;
    };
    const passPausesUntil = pausesPasser(history, rules, { from, bucketMs: 1, buckets: to - from }, {
      current,
      closeBucketsUntil: countUntil,
      mark: () => counted.splice(0, counted.length, ...current),
    });
    for (const event of history.healthEvents(from, to)) {
      // A damaged file may name machines the plant lacks or health codes no rule makes; such rows are passed over.
      if (event.machine < 0 || event.machine >= machineCount || !Number.isInteger(event.health) || event.health < 0 || event.health >= healthStates.length) continue;
      passPausesUntil(event.time);
      countUntil(event.time);
      const health = event.health as HealthCode;
      if (health === Health.alarm && current[event.machine] !== Health.alarm && event.time > from) alarmsEntered[event.machine]!++;
      current[event.machine] = health;
      counted[event.machine] = health;
    }
    passPausesUntil(Number.POSITIVE_INFINITY);
    countUntil(to);
  }
  const lines: LineSummary[] = [];
  plant.machines.forEach((machine, index) => {
    if (index >= machineCount) return;
    let line = lines.find((candidate) => candidate.area === machine.area && candidate.line === machine.line);
    if (!line) lines.push((line = { area: machine.area, line: machine.line, machines: [], milliseconds: new Array<number>(healthStates.length).fill(0) }));
    line.machines.push(index);
    milliseconds[index]!.forEach((value, code) => (line.milliseconds[code]! += value));
  });
  // Areas keep the order they first appear in; lines follow their area.
  const areaOrder = [...new Set(lines.map((line) => line.area))];
  lines.sort((first, second) => areaOrder.indexOf(first.area) - areaOrder.indexOf(second.area));
  const topAlarm: MachineSummary[] = milliseconds
    .map((durations, machine) => ({ machine, milliseconds: durations, alarmsEntered: alarmsEntered[machine]! }))
    .filter((machine) => machine.milliseconds[Health.alarm]! > 0)
    .sort((first, second) => second.milliseconds[Health.alarm]! - first.milliseconds[Health.alarm]! || first.machine - second.machine)
    .slice(0, maxTopMachines);
  return { requested: { from: requestedFrom, to: requestedTo }, from, to, lines, topAlarm, gaps: history.damagedRanges?.(from, to) ?? [] };
}
