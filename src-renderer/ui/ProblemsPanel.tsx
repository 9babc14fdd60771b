import { useEffect, useRef } from 'react';
import { create } from 'zustand';
import type { ProblemKind } from '../../src-main/common/contract.ts';
import { useClock } from '../state/clock-setting.ts';
import { useViewStore } from '../state/view-store.ts';
import { formatTimeOfDay } from './format.ts';

const kindWords = {
  malformedPayload: 'malformed payload',
  wrongType: 'wrong type',
  missingField: 'missing field',
  unknownTopic: 'unknown topic',
  oversizePayload: 'oversize payload',
  unknownState: 'unknown state',
  unknownAlias: 'unknown alias',
  dataBeforeBirth: 'data before birth',
} as const satisfies Record<ProblemKind, string>;

/** The id of the problems panel's list, for the controls that open it. */
export const problemsPanelId = 'problems-panel';

/** Whether the problems panel is open, and a count bumped to move the keyboard focus into it. */
const useProblemsPanel = create<{ open: boolean; focusRequest: number }>(() => ({ open: false, focusRequest: 0 }));

/** Whether the problems panel is open, for the controls that open it. */
export function useProblemsPanelOpen(): boolean {
  return useProblemsPanel((state) => state.open);
}

/** Opens or closes the problems panel (without an argument, toggles it); opened, it takes the keyboard focus. */
export function showProblemsPanel(open = !useProblemsPanel.getState().open): void {
  useProblemsPanel.setState((state) => ({ open, focusRequest: open ? state.focusRequest + 1 : state.focusRequest }));
}

/** Bad input and model problems: what was wrong and where, so nothing fails silently; "No problems" when there are none. */
export function ProblemsPanel() {
  const diagnostics = useViewStore((state) => state.diagnostics);
  const problems = useViewStore((state) => state.problems);
  const { open, focusRequest } = useProblemsPanel();
  const clock = useClock();
  const toggle = useRef<HTMLButtonElement>(null);
  const recent = diagnostics?.recentProblems ?? [];
  const count = problems.length + recent.length;
  // With one broker, naming it on every line says nothing.
  const severalBrokers = (diagnostics?.brokers.length ?? 0) > 1;
  useEffect(() => {
    if (focusRequest > 0) toggle.current?.focus({ preventScroll: true });
  }, [focusRequest]);
  // Closed and empty, nothing covers the plant: the status bar's problems chip opens it.
  if (count === 0 && !open) return null;
  return (
    <section className="problems-panel" aria-label="Problems">
      <button ref={toggle} type="button" onClick={() => showProblemsPanel(!open)} aria-expanded={open} aria-controls={problemsPanelId}>
        Problems ({count}) {open ? '▾' : '▸'}
      </button>
      {open ? (
        <ul id={problemsPanelId}>
          {count === 0 ? <li className="problems-none">No problems</li> : null}
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
          {[...recent].reverse().map((problem, index) => (
            <li key={`${problem.time}-${index}`}>
              <time>{formatTimeOfDay(problem.time, clock)}</time> {kindWords[problem.kind]} on <code>{problem.topic}</code>
              {severalBrokers ? ` from broker ${problem.brokerId}` : ''}: {problem.detail}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
