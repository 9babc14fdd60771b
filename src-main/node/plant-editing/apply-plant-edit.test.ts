import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import type { PlantEdit } from '../../common/plant-edit.ts';
import { applyPlantEdit } from './apply-plant-edit.ts';

const demoText = readFileSync(fileURLToPath(new URL('../../../assets/demo-plant.yaml', import.meta.url)), 'utf8');

/** A plant written by hand: comments everywhere, aligned, block and flow styles mixed, quoted text. */
const handWritten = `# Body shop line 2, kept by hand.
name: Body shop line 2
brokers:                         # optional; several are fine
  - id: line2
    url: mqtt://broker.line2.example:1883   # the plant network
machines:
  # The press comes first.
  - id: press-1                  # letters, digits, _ . -
    name: "Transfer press 1"
    kind: press                  # optional, free text
    area: Body shop              # ISA-95 area
    line: Line 2
    model: { file: press.glb, node: press }   # a named node in a GLB file
    position: [12, 0, -4]        # metres, y up
    rotation: 90                 # degrees about the vertical axis
    signals:
      - id: temperature
        topic: plant/press-1/temperature      # a concrete topic
        unit: °C
        period: 1                # expected seconds between samples
        limits:                  # any subset
          highWarn: 80
          highAlarm: 90
          deadband: 2            # hysteresis
      - id: speed
        topic: plant/press-1/drive
        path: drive.speed[0]     # where the number is
        unit: strokes/min
    animations:
      - { node: ram, property: position.y, signal: speed, scale: 0.01 }
      - { node: flywheel, spin: x, signal: speed, scale: 0.1 }   # radians/s per unit

  # The robot cell after it.
  - id: robot-1
    name: Robot 1
    area: Body shop
    line: Line 2
    primitive: { shape: box, size: [2, 2, 2] }
    position: [ 0, 0, 0 ]
    signals: [ { id: axis-1, topic: plant/cell-a/axis1 } ]
`;

/** Applies edits in turn, expecting each to be accepted; returns the final text. */
function edited(text: string, ...edits: PlantEdit[]): string {
  let current = text;
  for (const edit of edits) {
    const outcome = applyPlantEdit(current, parsePlantOrThrow(current), edit);
    if (!outcome.ok) throw new Error(outcome.reason);
    current = outcome.text;
  }
  return current;
}

/** `text` with `before` (which must occur once) replaced by `after`: everything else byte for byte. */
function replacedOnce(text: string, before: string, after: string): string {
  expect(text.split(before).length, `"${before}" occurs once`).toBe(2);
  return text.replace(before, () => after);
}

describe('plant editor actions on a hand-written file with comments', () => {
  it('moves a machine: only the numbers change, the aligned comment stays', () => {
    expect(edited(handWritten, { type: 'moveMachine', machineId: 'press-1', position: [1.5, 0, -2] })).toBe(
      replacedOnce(handWritten, 'position: [12, 0, -4]        # metres', 'position: [1.5, 0, -2]        # metres'),
    );
  });

  it('rotates a machine, and adds a rotation after the position to one that had none', () => {
    expect(edited(handWritten, { type: 'rotateMachine', machineId: 'press-1', rotation: -45 })).toBe(replacedOnce(handWritten, 'rotation: 90 ', 'rotation: -45 '));
    expect(edited(handWritten, { type: 'rotateMachine', machineId: 'robot-1', rotation: 180 })).toBe(
      replacedOnce(handWritten, '    position: [ 0, 0, 0 ]\n', '    position: [ 0, 0, 0 ]\n    rotation: 180\n'),
    );
  });

  it('sets name, kind, area and line; quotes text YAML would misread; removes the kind', () => {
    const text = edited(handWritten, { type: 'setMachineFields', machineId: 'press-1', name: 'Press: transfer 1', kind: null, area: 'Press shop', line: 'true' });
    let expected = replacedOnce(handWritten, 'name: "Transfer press 1"', 'name: "Press: transfer 1"');
    expected = replacedOnce(expected, '    kind: press                  # optional, free text\n', '');
    expected = replacedOnce(expected, 'area: Body shop              # ISA-95 area', 'area: Press shop              # ISA-95 area');
    expected = replacedOnce(expected, '    line: Line 2\n    model', '    line: "true"\n    model');
    expect(text).toBe(expected);
    expect(parsePlantOrThrow(text).machines[0]!.line).toBe('true');
    expect(edited(handWritten, { type: 'setMachineFields', machineId: 'robot-1', kind: 'robot' })).toBe(replacedOnce(handWritten, '    name: Robot 1\n', '    name: Robot 1\n    kind: robot\n'));
  });

  it('adds a machine from a model node, from a whole model file and as a box, with fresh ids', () => {
    const text = edited(
      handWritten,
      { type: 'addMachine', machine: { name: 'Press 2', area: 'Body shop', line: 'Line 2', model: { file: 'press.glb', node: 'press' }, position: [20, 0, -4] } },
      { type: 'addMachine', machine: { name: 'Robot 1', area: 'Body shop', line: 'Line 2', model: { file: 'robot-cell.glb', units: 'mm', up: 'z' } } },
    );
    expect(text).toBe(
      `${handWritten}  - id: press-2
    name: Press 2
    area: Body shop
    line: Line 2
    model: { file: press.glb, node: press }
    position: [20, 0, -4]
  - id: robot-2
    name: Robot 1
    area: Body shop
    line: Line 2
    model: { file: robot-cell.glb, units: mm, up: z }
    position: [0, 0, 0]
`,
    );
    const plant = parsePlantOrThrow(text);
    expect(plant.machines.map((machine) => machine.id)).toEqual(['press-1', 'robot-1', 'press-2', 'robot-2']);
    expect(plant.machines[3]!.model).toMatchObject({ file: 'robot-cell.glb', units: 'mm', up: 'z' });
  });

  it('duplicates a machine with the next free id and name, its topics renamed, placed beside it', () => {
    const outcome = applyPlantEdit(handWritten, parsePlantOrThrow(handWritten), { type: 'duplicateMachine', machineId: 'press-1' });
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.text.startsWith(handWritten)).toBe(true);
    const copy = outcome.plant.machines[2]!;
    expect(copy).toMatchObject({ id: 'press-2', name: 'Transfer press 2', kind: 'press', position: [14, 0, -4], rotation: 90 });
    expect(copy.signals.map((signal) => [signal.id, signal.topic, signal.path])).toEqual([
      ['temperature', 'plant/press-2/temperature', undefined],
      ['speed', 'plant/press-2/drive', 'drive.speed[0]'],
    ]);
    expect(copy.signals[0]!.limits).toMatchObject({ highWarn: 80, highAlarm: 90, deadband: 2 });
    expect(copy.animations).toHaveLength(2);
    expect(outcome.notes).toEqual([]);
  });

  it('duplicates without the signals whose topic would stay the original\'s, and says so', () => {
    const outcome = applyPlantEdit(handWritten, parsePlantOrThrow(handWritten), { type: 'duplicateMachine', machineId: 'robot-1', newId: 'robot-cell' });
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.plant.machines[2]).toMatchObject({ id: 'robot-cell', name: 'Robot 1 (copy)', signals: [] });
    expect(outcome.notes[0]).toContain('no signal axis-1');
  });

  it('deletes a machine with the comment lines above it, and nothing else', () => {
    expect(edited(handWritten, { type: 'deleteMachine', machineId: 'robot-1' })).toBe(handWritten.slice(0, handWritten.indexOf('  # The robot cell')));
    const withoutPress = edited(handWritten, { type: 'deleteMachine', machineId: 'press-1' });
    // The blank line between the two stays: it is the robot cell's as much as the press's.
    expect(withoutPress).toBe(replacedOnce(handWritten, handWritten.slice(handWritten.indexOf('  # The press'), handWritten.indexOf('\n  # The robot cell')), ''));
  });

  it('binds a new signal to a topic and JSON path in the style of the list it joins', () => {
    expect(edited(handWritten, { type: 'bindSignal', machineId: 'press-1', signal: { id: 'current', topic: 'plant/press-1/drive', path: 'drive.current', unit: 'A' } })).toBe(
      replacedOnce(handWritten, '        unit: strokes/min\n', '        unit: strokes/min\n      - id: current\n        topic: plant/press-1/drive\n        path: drive.current\n        unit: A\n'),
    );
    expect(edited(handWritten, { type: 'bindSignal', machineId: 'robot-1', signal: { id: 'axis-2', topic: 'plant/robot-1/axis2', period: 0.5 } })).toBe(
      replacedOnce(handWritten, 'topic: plant/cell-a/axis1 } ]', 'topic: plant/cell-a/axis1 }, { id: axis-2, topic: plant/robot-1/axis2, period: 0.5 } ]'),
    );
  });

  it('rebinds an existing signal: the old path goes, the comment on the topic stays', () => {
    expect(edited(handWritten, { type: 'bindSignal', machineId: 'press-1', signal: { id: 'temperature', topic: 'plant/press-1/status', path: 'temps[1]' } })).toBe(
      replacedOnce(handWritten, 'topic: plant/press-1/temperature      # a concrete topic\n', 'topic: plant/press-1/status      # a concrete topic\n        path: "temps[1]"\n'),
    );
    const text = edited(handWritten, { type: 'bindSignal', machineId: 'press-1', signal: { id: 'speed', topic: 'plant/press-1/speed' } });
    expect(text).toBe(replacedOnce(handWritten, '        topic: plant/press-1/drive\n        path: drive.speed[0]     # where the number is\n', '        topic: plant/press-1/speed\n'));
  });

  it('sets a signal\'s unit, period and limits; removing limits removes their block', () => {
    const text = edited(handWritten, { type: 'setSignalFields', machineId: 'press-1', signalId: 'temperature', unit: 'K', period: 2, limits: { highWarn: 350, highAlarm: 360, deadband: 2 } });
    let expected = replacedOnce(handWritten, 'unit: °C\n', 'unit: K\n');
    expected = replacedOnce(expected, 'period: 1                # expected', 'period: 2                # expected');
    expected = replacedOnce(expected, 'highWarn: 80\n          highAlarm: 90\n', 'highWarn: 350\n          highAlarm: 360\n');
    expect(text).toBe(expected);
    const withoutLimits = edited(handWritten, { type: 'setSignalFields', machineId: 'press-1', signalId: 'temperature', limits: null });
    expect(withoutLimits).toBe(replacedOnce(handWritten, '        limits:                  # any subset\n          highWarn: 80\n          highAlarm: 90\n          deadband: 2            # hysteresis\n', ''));
    expect(edited(handWritten, { type: 'setSignalFields', machineId: 'robot-1', signalId: 'axis-1', unit: '°', limits: { highAlarm: 170 } })).toBe(
      replacedOnce(handWritten, '{ id: axis-1, topic: plant/cell-a/axis1 }', '{ id: axis-1, topic: plant/cell-a/axis1, unit: °, limits: { highAlarm: 170 } }'),
    );
  });

  it('sets limits with their alarm priorities, and a model with its far level', () => {
    const text = edited(
      handWritten,
      { type: 'setSignalFields', machineId: 'robot-1', signalId: 'axis-1', limits: { highWarn: 160, highAlarm: 170, priority: { highAlarm: 'critical' } } },
      { type: 'addMachine', machine: { name: 'Robot 2', area: 'A', line: 'L', model: { file: 'robot.glb', lod: 'robot.lod.glb' } } },
    );
    const plant = parsePlantOrThrow(text);
    expect(plant.machines[1]!.signals[0]!.limits?.priority).toEqual({ highAlarm: 'critical' });
    expect(plant.machines[2]!.model).toMatchObject({ file: 'robot.glb', lod: 'robot.lod.glb' });
    expect(text).toContain('limits: { highWarn: 160, highAlarm: 170, priority: { highAlarm: critical } } }');
  });

  it('binds, replaces and removes animations', () => {
    expect(edited(handWritten, { type: 'bindAnimation', machineId: 'press-1', animation: { node: 'door', property: 'visible', signal: 'temperature' } })).toBe(
      replacedOnce(handWritten, '   # radians/s per unit\n', '   # radians/s per unit\n      - { node: door, property: visible, signal: temperature }\n'),
    );
    expect(edited(handWritten, { type: 'bindAnimation', machineId: 'press-1', replaceIndex: 1, animation: { node: 'flywheel', spin: 'y', signal: 'speed', scale: 0.2 } })).toBe(
      replacedOnce(handWritten, '{ node: flywheel, spin: x, signal: speed, scale: 0.1 }', '{ node: flywheel, spin: y, signal: speed, scale: 0.2 }'),
    );
    expect(edited(handWritten, { type: 'removeAnimation', machineId: 'press-1', index: 0 })).toBe(replacedOnce(handWritten, '      - { node: ram, property: position.y, signal: speed, scale: 0.01 }\n', ''));
    expect(edited(handWritten, { type: 'bindAnimation', machineId: 'robot-1', animation: { node: 'arm', property: 'rotation.y', signal: 'axis-1' } })).toBe(
      replacedOnce(handWritten, 'axis1 } ]\n', 'axis1 } ]\n    animations:\n      - { node: arm, property: rotation.y, signal: axis-1 }\n'),
    );
  });

  it('removes a signal only when nothing animates with it', () => {
    expect(edited(handWritten, { type: 'removeSignal', machineId: 'robot-1', signalId: 'axis-1' })).toBe(replacedOnce(handWritten, '[ { id: axis-1, topic: plant/cell-a/axis1 } ]', '[]'));
    const refused = applyPlantEdit(handWritten, parsePlantOrThrow(handWritten), { type: 'removeSignal', machineId: 'press-1', signalId: 'speed' });
    expect(refused).toEqual({ ok: false, reason: expect.stringContaining('no signal "speed" on this machine') });
  });

  it('refuses an edit that makes the plant invalid, naming every problem', () => {
    const plant = parsePlantOrThrow(handWritten);
    expect(applyPlantEdit(handWritten, plant, { type: 'bindSignal', machineId: 'robot-1', signal: { id: 'axis-2', topic: 'plant/press-1/drive', path: 'drive.speed[0]' } })).toEqual({
      ok: false,
      reason: expect.stringContaining('already used by press-1/speed'),
    });
    expect(applyPlantEdit(handWritten, plant, { type: 'setSignalFields', machineId: 'press-1', signalId: 'temperature', limits: { highWarn: 95, highAlarm: 90 } })).toEqual({
      ok: false,
      reason: expect.stringContaining('must not be below highWarn'),
    });
    expect(applyPlantEdit(handWritten, plant, { type: 'moveMachine', machineId: 'press-9', position: [0, 0, 0] })).toEqual({ ok: false, reason: 'There is no machine "press-9" in the plant' });
    expect(applyPlantEdit(handWritten, plant, { type: 'addMachine', machine: { id: 'robot-1', name: 'R', area: 'A', line: 'L', primitive: { shape: 'box' } } })).toEqual({
      ok: false,
      reason: 'A machine with id "robot-1" is already in the plant',
    });
    expect(applyPlantEdit(handWritten, plant, { type: 'addMachine', machine: { name: 'Nothing to draw', area: 'A', line: 'L' } })).toEqual({ ok: false, reason: expect.stringContaining('required (or give a primitive)') });
  });

  it('refuses to edit through a YAML alias, which would change every place that uses it', () => {
    const text = 'name: P\nmachines:\n  - id: a\n    name: A\n    area: X\n    line: Y\n    primitive: { shape: box }\n    position: &here [1, 0, 1]\n  - id: b\n    name: B\n    area: X\n    line: Y\n    primitive: { shape: box }\n    position: *here\n';
    expect(applyPlantEdit(text, parsePlantOrThrow(text), { type: 'moveMachine', machineId: 'b', position: [5, 0, 5] })).toEqual({ ok: false, reason: expect.stringContaining('is a YAML alias') });
  });
});

describe('plant editor actions on the demo plant', () => {
  it('moves, renames and rebinds a machine in the demo file, changing only those lines', () => {
    const text = edited(
      demoText,
      { type: 'moveMachine', machineId: 'eaf-2', position: [-40, 0, 9] },
      { type: 'setMachineFields', machineId: 'eaf-2', name: 'Arc furnace 2' },
      { type: 'setSignalFields', machineId: 'eaf-2', signalId: 'power', limits: { highWarn: 90, highAlarm: 97 } },
    );
    let expected = replacedOnce(demoText, 'position: [ -46, 0, 9 ]', 'position: [-40, 0, 9]');
    expected = replacedOnce(expected, 'name: Electric arc furnace 2\n', 'name: Arc furnace 2\n');
    expected = replacedOnce(expected, 'topic: demo/eaf-2/power, unit: MW, period: 0.5, limits: { highWarn: 92, highAlarm: 98, deadband: 1 }', 'topic: demo/eaf-2/power, unit: MW, period: 0.5, limits: { highWarn: 90, highAlarm: 97 }');
    expect(text).toBe(expected);
  });

  it('adds, duplicates and deletes machines in the demo file; deleting what was added gives the file back', () => {
    const added = edited(demoText, { type: 'addMachine', machine: { name: 'Cooling tower', area: 'Utilities', line: 'Water', model: { file: 'pump.glb', node: 'pump' }, position: [10, 0, 30] } });
    expect(added.startsWith(demoText)).toBe(true);
    expect(edited(added, { type: 'deleteMachine', machineId: 'cooling-tower' })).toBe(demoText);
    const duplicated = edited(demoText, { type: 'duplicateMachine', machineId: 'eaf-1' });
    const copy = parsePlantOrThrow(duplicated).machines.at(-1)!;
    expect(copy).toMatchObject({ id: 'eaf-3', name: 'Electric arc furnace 3', position: [-44, 0, -9] });
    expect(copy.signals.map((signal) => signal.topic)).toEqual(['demo/eaf-3/temperature', 'demo/eaf-3/power', 'demo/eaf-3/electrode-position']);
    expect(edited(duplicated, { type: 'deleteMachine', machineId: 'eaf-3' })).toBe(demoText);
  });

  it('binds a signal and an animation on a demo machine and then removes them, back to the same bytes', () => {
    const bound = edited(
      demoText,
      { type: 'bindSignal', machineId: 'eaf-1', signal: { id: 'current', topic: 'demo/eaf-1/current', unit: 'kA' } },
      { type: 'bindAnimation', machineId: 'eaf-1', animation: { node: 'electrodes', property: 'scale.y', signal: 'current', scale: 0.01 } },
    );
    const machine = parsePlantOrThrow(bound).machines[0]!;
    expect(machine.signals.at(-1)).toMatchObject({ id: 'current', topic: 'demo/eaf-1/current', unit: 'kA' });
    expect(machine.animations.at(-1)).toMatchObject({ node: 'electrodes', property: 'scale.y', signal: 'current' });
    expect(edited(bound, { type: 'removeAnimation', machineId: 'eaf-1', index: 1 }, { type: 'removeSignal', machineId: 'eaf-1', signalId: 'current' })).toBe(demoText);
  });
});

describe('a new plant with no machines', () => {
  it('takes its first machine as a block list under the key, keeping the comment beside it', () => {
    const text = 'name: New plant\n# Add machines below.\nmachines: []   # none yet\n';
    expect(edited(text, { type: 'addMachine', machine: { name: 'Press', area: 'A', line: 'L', primitive: { shape: 'box' } } })).toBe(
      'name: New plant\n# Add machines below.\nmachines:   # none yet\n  - id: press\n    name: Press\n    area: A\n    line: L\n    primitive: { shape: box }\n    position: [0, 0, 0]\n',
    );
  });

  it('keeps a file with Windows line breaks all CRLF', () => {
    const windows = handWritten.replace(/\n/g, '\r\n');
    const text = edited(
      windows,
      { type: 'moveMachine', machineId: 'robot-1', position: [3, 0, 3] },
      { type: 'bindSignal', machineId: 'press-1', signal: { id: 'current', topic: 'plant/press-1/current' } },
      { type: 'addMachine', machine: { name: 'Press 2', area: 'A', line: 'L', primitive: { shape: 'box' } } },
      { type: 'deleteMachine', machineId: 'robot-1' },
    );
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(parsePlantOrThrow(text).machines.map((machine) => machine.id)).toEqual(['press-1', 'press-2']);
    expect(text.replace(/\r\n/g, '\n')).toBe(
      edited(
        handWritten,
        { type: 'moveMachine', machineId: 'robot-1', position: [3, 0, 3] },
        { type: 'bindSignal', machineId: 'press-1', signal: { id: 'current', topic: 'plant/press-1/current' } },
        { type: 'addMachine', machine: { name: 'Press 2', area: 'A', line: 'L', primitive: { shape: 'box' } } },
        { type: 'deleteMachine', machineId: 'robot-1' },
      ),
    );
  });

  it('edits a machine written as one flow mapping where it stands', () => {
    const text = 'name: P\nmachines:\n  - { id: a, name: A, area: X, line: Y, primitive: { shape: box } }   # one line\n';
    expect(edited(text, { type: 'moveMachine', machineId: 'a', position: [1, 0, 2] }, { type: 'setMachineFields', machineId: 'a', kind: 'press' })).toBe(
      'name: P\nmachines:\n  - { id: a, name: A, kind: press, area: X, line: Y, position: [1, 0, 2], primitive: { shape: box } }   # one line\n',
    );
  });
});
