import { healthStates, type HealthState } from '../../src-main/common/health.ts';

/** One area's machines counted by state, for presentation mode's summary. */
export interface AreaHealth {
  area: string;
  machines: number;
  /** Machines in each state, by state name; states with none are left out. */
  counts: Partial<Record<HealthState, number>>;
}

/** The areas in plant order and, for each machine, the index of its area: worked out once per plant. */
export interface AreaIndex {
  areas: string[];
  machineArea: Int32Array;
}

/** Indexes machines by area, in the order the plant first names each area. */
export function indexAreas(machines: ReadonlyArray<{ area: string }>): AreaIndex {
  const areas: string[] = [];
  const machineArea = new Int32Array(machines.length);
  for (const [index, machine] of machines.entries()) {
    let area = areas.indexOf(machine.area);
    if (area < 0) area = areas.push(machine.area) - 1;
    machineArea[index] = area;
  }
  return { areas, machineArea };
}

/** Counts each area's machines by state from the machines' health codes (as the frame buffer holds them). */
export function summariseAreas(index: AreaIndex, machineHealth: ArrayLike<number>): AreaHealth[] {
  const summary: AreaHealth[] = index.areas.map((area) => ({ area, machines: 0, counts: {} }));
  for (let machine = 0; machine < index.machineArea.length && machine < machineHealth.length; machine++) {
    const area = summary[index.machineArea[machine]!]!;
    const state = healthStates[machineHealth[machine]!] ?? 'unknown';
    area.machines++;
    area.counts[state] = (area.counts[state] ?? 0) + 1;
  }
  return summary;
}
