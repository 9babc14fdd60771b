import { describe, expect, it } from 'vitest';
import { checkPlantEdit, describePlantEdit } from './plant-edit.ts';

describe('checkPlantEdit', () => {
  it('accepts a well-formed action as it is', () => {
    const edit = { type: 'moveMachine', machineId: 'press-1', position: [1, 0, -2] };
    expect(checkPlantEdit(edit)).toEqual({ ok: true, edit });
    expect(describePlantEdit(edit as never)).toBe('Move press-1');
  });

  it('refuses unknown actions, unknown fields, numbers that are not finite and oversized text, saying where', () => {
    expect(checkPlantEdit({ type: 'format', machineId: 'a' })).toMatchObject({ ok: false });
    expect(checkPlantEdit({ type: 'moveMachine', machineId: 'a', position: [0, 0, 0], colour: 'red' })).toEqual({ ok: false, reason: expect.stringContaining('colour') });
    expect(checkPlantEdit({ type: 'rotateMachine', machineId: 'a', rotation: Number.POSITIVE_INFINITY })).toEqual({ ok: false, reason: expect.stringContaining('rotation') });
    expect(checkPlantEdit({ type: 'setMachineFields', machineId: 'a', name: 'x'.repeat(10_000) })).toEqual({ ok: false, reason: expect.stringContaining('name') });
    expect(checkPlantEdit({ type: 'bindSignal', machineId: 'a', signal: { id: 't', topic: 'a/b', script: 'x' } })).toEqual({ ok: false, reason: expect.stringContaining('script') });
    expect(checkPlantEdit(null)).toMatchObject({ ok: false });
  });
});
