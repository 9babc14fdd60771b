import type { PlantDescription, TimelineOverview } from '../../src-main/common/contract.ts';
import { formatMoment, type Clock } from './format.ts';
import { signalName } from './machine-triage.ts';

/** One alarm marker of the timeline: when, which machine, which signal (null when the host could not tell). */
export type TimelineAlarm = TimelineOverview['alarms'][number];

/** Whose alarm it is and when, as markers and jumps say it: "Finishing stand F4 — roll force, 2026-11-25 10:22:40.3 +01:00". */
export function alarmWords(description: PlantDescription, alarm: TimelineAlarm, clock: Clock): string {
  const machine = description.plant.machines[alarm.machine];
  const signal = signalName(description, alarm.signal);
  const whose = machine ? `${machine.name}${signal === undefined ? '' : ` — ${signal}`}` : `machine ${alarm.machine + 1}`;
  return `${whose}, ${formatMoment(alarm.time, clock)}`;
}

/** The alarms "◀ Alarm" and "Alarm ▶" move between: all, or only the selected machine's when asked and one is selected. */
export function alarmsInScope(alarms: readonly TimelineAlarm[], onlyMachine: number | null): readonly TimelineAlarm[] {
  return onlyMachine === null ? alarms : alarms.filter((alarm) => alarm.machine === onlyMachine);
}
