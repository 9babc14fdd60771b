/** One step of the history: the file text before and after an action, and what the action was. */
export interface EditStep {
  label: string;
  before: string;
  after: string;
}

/** Most steps kept: a long session forgets its oldest steps rather than growing without bound. */
export const maxEditSteps = 500;

/** Most characters of text the steps may hold together (two texts a step), so a large plant file keeps fewer steps. */
export const maxEditHistoryChars = 64 * 1024 * 1024;

/**
 * Undo and redo over whole file texts. Every action of the editor is one step, so undoing restores
 * the file exactly as it was, comments and all, whatever the action changed.
 */
export class EditHistory {
  private readonly done: EditStep[] = [];
  private readonly undone: EditStep[] = [];
  private readonly limit: number;
  private readonly charLimit: number;
  private chars = 0;

  constructor(limit = maxEditSteps, charLimit = maxEditHistoryChars) {
    this.limit = limit;
    this.charLimit = charLimit;
  }

  /** Notes a step just made; steps undone before it can no longer be redone. */
  record(step: EditStep): void {
    this.done.push(step);
    this.chars += sizeOf(step);
    for (const dropped of this.undone.splice(0)) this.chars -= sizeOf(dropped);
    // The newest step is always kept, however large: the action just made can be undone.
    while (this.done.length > 1 && (this.done.length > this.limit || this.chars > this.charLimit)) this.chars -= sizeOf(this.done.shift()!);
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
    this.chars = 0;
  }
}

function sizeOf(step: EditStep): number {
  return step.before.length + step.after.length;
}
