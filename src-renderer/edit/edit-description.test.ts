import { describe, expect, it } from 'vitest';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { Health } from '../../src-main/common/health.ts';
import { parsePlantOrThrow } from '../../src-main/common/parse-plant.ts';
import { applyFrame, createFrameBuffer } from '../telemetry/frame-buffer.ts';
import { copyTelemetry } from './use-edit-buffer.ts';
import { editDescription, telemetryMapping } from './edit-description.ts';

const runningText = `name: Cell
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, position: [0, 0, 0], signals: [{ id: force, topic: cell/press/force }, { id: speed, topic: cell/press/speed }] }
  - { id: robot, name: Robot, area: A, line: L, primitive: { shape: box }, position: [4, 0, 0], signals: [{ id: torque, topic: cell/robot/torque }] }
`;
// Edited: a machine added before the others, the press lost its speed and the robot gained a signal.
const editedText = `name: Cell
machines:
  - { id: new, name: New, area: A, line: L, primitive: { shape: box }, position: [8, 0, 0], signals: [{ id: level, topic: cell/new/level }] }
  - { id: robot, name: Robot, area: A, line: L, primitive: { shape: box }, position: [4, 0, 0], signals: [{ id: angle, topic: cell/robot/angle }, { id: torque, topic: cell/robot/torque }] }
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, position: [0, 0, 0], signals: [{ id: force, topic: cell/press/force }] }
`;

function describeRunning(): PlantDescription {
  const plant = parsePlantOrThrow(runningText);
  return editDescription(plant, { plant, signalKeys: [], signalMachine: [], modelsBaseUrl: 'models/', sourceLabel: 'Cell' });
}

describe('the edited plant in the view', () => {
  it('numbers the edited plant as the host would, and maps each signal and machine to the running one by id', () => {
    const running = describeRunning();
    expect(running.signalKeys).toEqual(['press/force', 'press/speed', 'robot/torque']);
    const edited = editDescription(parsePlantOrThrow(editedText), running);
    expect(edited.signalKeys).toEqual(['new/level', 'robot/angle', 'robot/torque', 'press/force']);
    expect(edited.signalMachine).toEqual([0, 1, 1, 2]);
    expect(edited.modelsBaseUrl).toBe('models/');
    const mapping = telemetryMapping(edited, running);
    expect([...mapping.signalFrom]).toEqual([-1, -1, 2, 0]);
    expect([...mapping.machineFrom]).toEqual([-1, 1, 0]);
  });

  it('shows the running telemetry on the edited plant, new signals and machines never heard from', () => {
    const running = describeRunning();
    const edited = editDescription(parsePlantOrThrow(editedText), running);
    const runningBuffer = createFrameBuffer(3, 2);
    applyFrame(runningBuffer, { time: 1000, full: true, signalIndex: [], signalValue: [5, 6, 7], signalSampleAge: [100, 100, 50], signalHealth: [Health.ok, Health.ok, Health.alarm], machineIndex: [], machineHealth: [Health.ok, Health.alarm] }, 10);
    const editedBuffer = createFrameBuffer(4, 3);
    copyTelemetry(runningBuffer.getState(), editedBuffer, telemetryMapping(edited, running));
    const state = editedBuffer.getState();
    expect([...state.values]).toEqual([0, 0, 7, 5]);
    expect([...state.signalHealth]).toEqual([Health.unknown, Health.unknown, Health.alarm, Health.ok]);
    expect([...state.machineHealth]).toEqual([Health.unknown, Health.alarm, Health.ok]);
    expect(state.hostTime).toBe(1000);
  });
});
