import { create } from 'zustand';
import { maxOperatorLength } from '../../../src-main/common/alarms/alarm-engine.ts';

/** Where the name is kept between visits: each browser (and the desktop app) remembers its operator. */
const storageKey = 'twinline.operator';

/** Why a typed operator name cannot be used, or null when it can: the host's own rule (1–64 characters, no control characters). */
export function operatorNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'Type your name';
  if (trimmed.length > maxOperatorLength) return `At most ${maxOperatorLength} characters`;
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'No control characters';
  return null;
}

function storedName(): string | null {
  try {
    const stored = globalThis.localStorage?.getItem(storageKey) ?? null;
    return stored !== null && operatorNameProblem(stored) === null ? stored.trim() : null;
  } catch (error) {
    // Storage refused (a privacy mode): the name is asked again on the next visit, nothing else is lost.
    console.warn(`Twinline: the operator name cannot be read (${error instanceof Error ? error.message : String(error)})`);
    return null;
  }
}

/** The operator who acts on alarms from this view; null until asked. */
export const useOperatorName = create<{ name: string | null }>(() => ({ name: storedName() }));

/** Takes a valid operator name for every action from now on, and remembers it for the next visit. */
export function chooseOperatorName(name: string): void {
  const trimmed = name.trim();
  if (operatorNameProblem(trimmed) !== null) return;
  useOperatorName.setState({ name: trimmed });
  try {
    globalThis.localStorage?.setItem(storageKey, trimmed);
  } catch (error) {
    console.warn(`Twinline: the operator name cannot be kept (${error instanceof Error ? error.message : String(error)})`);
  }
}
