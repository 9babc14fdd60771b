import { useState } from 'react';
import type { ProblemKind } from '../../src-main/common/contract.ts';
import { useViewStore } from '../state/view-store.ts';
import { formatMoment } from './format.ts';

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

/** Bad input and model problems: what was wrong and where, so nothing fails silently. */
export function ProblemsPanel() {
  const diagnostics = useViewStore((state) => state.diagnostics);
  const problems = useViewStore((state) => state.problems);
  const [open, setOpen] = useState(false);
  const recent = diagnostics?.recentProblems ?? [];
  // With one broker, naming it on every line says nothing.
  const severalBrokers = (diagnostics?.brokers.length ?? 0) > 1;
  if (recent.length === 0 && problems.length === 0) return null;
  return (
    <section className="problems-panel" aria-label="Problems">
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
        Problems ({problems.length + recent.length}) {open ? '▾' : '▸'}
      </button>
      {open ? (
        <ul>
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
          {[...recent].reverse().map((problem, index) => (
            <li key={`${problem.time}-${index}`}>
              <time>{formatMoment(problem.time).slice(11)}</time> {kindWords[problem.kind]} on <code>{problem.topic}</code>
              {severalBrokers ? ` from broker ${problem.brokerId}` : ''}: {problem.detail}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
