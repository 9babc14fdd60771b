import { describe, expect, it } from 'vitest';
import { PlantFileError } from '../../common/parse-plant.ts';
import { maxPlantFileBytes } from '../load-plant-file.ts';
import { PlantDocument } from './plant-document.ts';

const text = `# A small line.
name: Line            # shown in the title
machines:
  - id: press-1
    name: Press 1
    area: A
    line: L
    primitive: { shape: box }
    position: [0, 0, 0]   # metres
    signals:
      - { id: force, topic: line/press-1/force, unit: kN }
`;

describe('PlantDocument', () => {
  it('refuses a text that is not a valid plant', () => {
    expect(() => new PlantDocument('name: x\nmachines: [{ id: a }]\n')).toThrow(PlantFileError);
  });

  it('undoes and redoes every action back to the exact text, in order', () => {
    const document = new PlantDocument(text);
    const texts = [document.text];
    const results = [
      document.apply({ type: 'moveMachine', machineId: 'press-1', position: [4, 0, 2] }),
      document.apply({ type: 'rotateMachine', machineId: 'press-1', rotation: 90 }),
      document.apply({ type: 'setSignalFields', machineId: 'press-1', signalId: 'force', limits: { highWarn: 900, highAlarm: 1000 } }),
      document.apply({ type: 'duplicateMachine', machineId: 'press-1' }),
      document.apply({ type: 'deleteMachine', machineId: 'press-1' }),
    ];
    for (const result of results) expect(result.ok).toBe(true);
    texts.push(document.text);
    expect(document.plant.machines.map((machine) => machine.id)).toEqual(['press-2']);
    expect(document.state).toEqual({ undo: 'Delete press-1', redo: undefined, unsaved: true });

    const undone: string[] = [];
    for (let step = 0; step < 5; step++) {
      expect(document.undo().ok).toBe(true);
      undone.push(document.text);
    }
    expect(document.text).toBe(text);
    expect(document.plant.machines[0]!.position).toEqual([0, 0, 0]);
    expect(document.undo()).toEqual({ ok: false, reason: 'Nothing to undo' });
    expect(document.state).toEqual({ undo: undefined, redo: 'Move press-1', unsaved: false });

    for (let step = 0; step < 5; step++) expect(document.redo().ok).toBe(true);
    expect(document.text).toBe(texts[1]);
    expect(document.redo()).toEqual({ ok: false, reason: 'Nothing to redo' });
    // Each undo went back one step: the texts on the way down were all different.
    expect(new Set(undone).size).toBe(5);
  });

  it('a refused action changes neither the text, the plant nor the history', () => {
    const document = new PlantDocument(text);
    document.apply({ type: 'moveMachine', machineId: 'press-1', position: [1, 0, 1] });
    const before = document.text;
    const result = document.apply({ type: 'setSignalFields', machineId: 'press-1', signalId: 'force', limits: { highWarn: 5, highAlarm: 1 } });
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('highAlarm: must not be below highWarn (5)') });
    expect(document.text).toBe(before);
    expect(document.plant.machines[0]!.signals[0]!.limits).toBeUndefined();
    expect(document.state.undo).toBe('Move press-1');
  });

  it('a new action after an undo drops the steps that were undone', () => {
    const document = new PlantDocument(text);
    document.apply({ type: 'moveMachine', machineId: 'press-1', position: [1, 0, 1] });
    document.undo();
    document.apply({ type: 'rotateMachine', machineId: 'press-1', rotation: 30 });
    expect(document.state).toEqual({ undo: 'Rotate press-1', redo: undefined, unsaved: true });
    expect(document.plant.machines[0]).toMatchObject({ position: [0, 0, 0], rotation: 30 });
  });

  it('reloads a text changed outside, forgetting steps made on the old text; a bad text changes nothing', () => {
    const document = new PlantDocument(text);
    document.apply({ type: 'moveMachine', machineId: 'press-1', position: [1, 0, 1] });
    expect(() => document.reload('name: broken\nmachines: 3\n')).toThrow(PlantFileError);
    expect(document.state.undo).toBe('Move press-1');
    const outside = text.replace('name: Press 1', 'name: Big press');
    expect(document.reload(outside).machines[0]!.name).toBe('Big press');
    expect(document.text).toBe(outside);
    expect(document.state).toEqual({ undo: undefined, redo: undefined, unsaved: false });
  });

  it('refuses an action that would make the plant larger than a plant file may be, and keeps what it had', () => {
    // A long comment brings the text near the bound; duplicating the press goes over it.
    const large = `${text}# ${'x'.repeat(maxPlantFileBytes - text.length - 40)}\n`;
    const document = new PlantDocument(large);
    const result = document.apply({ type: 'duplicateMachine', machineId: 'press-1' });
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(`a plant file may have at most ${maxPlantFileBytes}`) });
    expect(document.text).toBe(large);
    expect(document.state.undo).toBeUndefined();
  });
});
