import { describe, expect, it } from 'vitest';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { parsePlantOrThrow } from '../../src-main/common/parse-plant.ts';
import { editDescription } from '../edit/edit-description.ts';
import { sharesRunningIndexes } from './shares-running-indexes.ts';

const runningText = `name: Cell
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, position: [0, 0, 0], signals: [{ id: force, topic: cell/press/force }, { id: speed, topic: cell/press/speed }] }
  - { id: robot, name: Robot, area: A, line: L, primitive: { shape: box }, position: [4, 0, 0], signals: [{ id: torque, topic: cell/robot/torque }] }
  - { id: pump, name: Pump, area: A, line: L, primitive: { shape: box }, position: [8, 0, 0], signals: [{ id: flow, topic: cell/pump/flow }] }
`;

function describePlant(text: string, running?: PlantDescription): PlantDescription {
  const plant = parsePlantOrThrow(text);
  return editDescription(plant, running ?? { plant, signalKeys: [], signalMachine: [], modelsBaseUrl: 'models/', sourceLabel: 'Cell' });
}

describe('whether the inspector may ask the host about a machine of the shown plant', () => {
  it('may for the running plant itself and for machines an edit left where they were', () => {
    const running = describePlant(runningText);
    expect([0, 1, 2].map((machine) => sharesRunningIndexes(running, running, machine))).toEqual([true, true, true]);
    // Renamed and moved: the indexes the host uses still name the same machines and signals.
    const moved = describePlant(runningText.replace('name: Press', 'name: Big press').replace('position: [8, 0, 0]', 'position: [9, 0, 2]'), running);
    expect([0, 1, 2].map((machine) => sharesRunningIndexes(moved, running, machine))).toEqual([true, true, true]);
  });

  it('may not where the host’s indexes name another machine or other signals', () => {
    const running = describePlant(runningText);
    // The robot gained a signal: the robot's signals, and the pump's after them, are numbered apart.
    const gained = describePlant(runningText.replace("signals: [{ id: torque, topic: cell/robot/torque }]", "signals: [{ id: angle, topic: cell/robot/angle }, { id: torque, topic: cell/robot/torque }]"), running);
    expect([0, 1, 2].map((machine) => sharesRunningIndexes(gained, running, machine))).toEqual([true, false, false]);
    // The robot deleted: the pump now stands at the robot's index; a machine added at the end is new to the host.
    const lines = runningText.split('\n');
    const deleted = describePlant([lines[0], lines[1], lines[2], lines[4], ''].join('\n'), running);
    expect([0, 1].map((machine) => sharesRunningIndexes(deleted, running, machine))).toEqual([true, false]);
    const added = describePlant(`${runningText}  - { id: fan, name: Fan, area: A, line: L, primitive: { shape: box }, position: [12, 0, 0], signals: [] }\n`, running);
    expect(sharesRunningIndexes(added, running, 3)).toBe(false);
  });
});
