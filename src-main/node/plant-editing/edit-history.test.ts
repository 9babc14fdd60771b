import { describe, expect, it } from 'vitest';
import { EditHistory } from './edit-history.ts';

const step = (label: string, size = 1) => ({ label, before: 'b'.repeat(size), after: 'a'.repeat(size) });

describe('EditHistory', () => {
  it('forgets its oldest steps beyond the step limit', () => {
    const history = new EditHistory(3);
    for (const label of ['1', '2', '3', '4']) history.record(step(label));
    expect([history.undo()?.label, history.undo()?.label, history.undo()?.label, history.undo()]).toEqual(['4', '3', '2', undefined]);
  });

  it('forgets its oldest steps while their texts take more than the character limit, but keeps the newest', () => {
    const history = new EditHistory(100, 1000);
    history.record(step('small-1', 100));
    history.record(step('small-2', 100));
    history.record(step('large', 400));
    expect(history.peek().undo).toBe('large');
    expect([history.undo()?.label, history.undo()?.label, history.undo()]).toEqual(['large', 'small-2', undefined]);
    const huge = new EditHistory(100, 10);
    huge.record(step('huge', 1000));
    expect(huge.undo()?.label).toBe('huge');
  });

  it('drops what was undone when a new step is made', () => {
    const history = new EditHistory();
    history.record(step('1'));
    history.undo();
    history.record(step('2'));
    expect(history.peek()).toEqual({ undo: '2', redo: undefined });
    expect(history.redo()).toBeUndefined();
  });
});
