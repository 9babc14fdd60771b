/** One step of the history: the file text before and after an action, and what the action was. */
export interface EditStep {
  label: string;
  before: string;
  after: string;
}

/** Most steps kept: a long session forgets its oldest steps rather than growing without bound. */
export const maxEditSteps = 500;

/**
 * Undo and redo over whole file texts. Every action of the editor is one step, so undoing restores
 * the file exactly as it was, comments and all, whatever the action changed.
 */
export class EditHistory {
  private readonly done: EditStep[] = [];
  private readonly undone: EditStep[] = [];
  private readonly limit: number;

  constructor(limit = maxEditSteps) {
    this.limit = limit;
  }

  /** Notes a step just made; steps undone before it can no longer be redone. */
  record(step: EditStep): void {
    this.done.push(step);
    if (this.done.length > this.limit) this.done.shift();
    this.undone.length = 0;
  }

  /** The step to undo (its `before` is the text to return to), moved to the redo list; undefined when there is none. */
  undo(): EditStep | undefined {
    const step = this.done.pop();
    if (step) this.undone.push(step);
    return step;
  }

  /** The step to redo (its `after` is the text to return to), moved back to the undo list; undefined when there is none. */
  redo(): EditStep | undefined {
    const step = this.undone.pop();
    if (step) this.done.push(step);
    return step;
  }

  /** What undo and redo would do next, for menus: labels or undefined. */
  peek(): { undo: string | undefined; redo: string | undefined } {
    return { undo: this.done.at(-1)?.label, redo: this.undone.at(-1)?.label };
  }

  /** Forgets every step, e.g. when the file is reloaded from disk. */
  clear(): void {
    this.done.length = 0;
    this.undone.length = 0;
  }
}
