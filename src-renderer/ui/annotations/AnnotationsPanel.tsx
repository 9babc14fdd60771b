import { useMemo, useState, type FormEvent } from 'react';
import { maxAnnotationTextLength, searchAnnotations } from '../../../src-main/common/annotations/annotation.ts';
import type { PlantDescription } from '../../../src-main/common/contract.ts';
import { useClock } from '../../state/clock-setting.ts';
import { useViewStore } from '../../state/view-store.ts';
import { chooseOperatorName, operatorNameProblem, useOperatorName } from '../alarms/operator-name.ts';
import { formatMoment } from '../format.ts';
import { addAnnotation, jumpToAnnotation, showAnnotations, useAnnotations } from './annotation-store.ts';
import { SaveIncident } from './SaveIncident.tsx';
import { useAnnotationFeed } from './use-annotation-feed.ts';
import './annotations.css';

/** Most annotations listed at once; a search narrows a longer list. */
const maxListed = 300;

/**
 * Notes pinned to moments of the plant's history (and maybe to a machine): a button that opens the
 * panel, a search over text, author and machine, the list (a click jumps to the moment), and a form
 * that pins a new note to the moment shown, signed with the operator's name (asked once, kept in the
 * browser as the alarm list keeps it). Always mounted, so its feed runs while the panel is closed.
 */
export function AnnotationsPanel({ description }: { description: PlantDescription }) {
  useAnnotationFeed();
  const { annotations, canAdd, panelOpen } = useAnnotations();
  const clock = useClock();
  const [query, setQuery] = useState('');
  const machineName = (machine: number) => description.plant.machines[machine]?.name ?? `machine ${machine}`;
  const found = useMemo(() => searchAnnotations(annotations, query, machineName), [annotations, query, description]);
  const hasRecording = useViewStore((state) => state.player?.capabilities.replay ?? false);
  if (!hasRecording) return null;
  if (!panelOpen) {
    return (
      <button type="button" className="annotations-toggle" data-annotation-count={annotations.length} title="Notes pinned to moments of the recording" onClick={() => showAnnotations(true)}>
        ✎ Notes{annotations.length > 0 ? ` (${annotations.length})` : ''}
      </button>
    );
  }
  return (
    <section className="annotations-panel" aria-label="Notes">
      <header>
        <h2>Notes</h2>
        <button type="button" aria-label="Close the notes" onClick={() => showAnnotations(false)}>
          ✕
        </button>
      </header>
      <input type="search" aria-label="Search the notes" placeholder="Search text, author or machine" value={query} onChange={(event) => setQuery(event.target.value)} />
      <ol className="annotation-list">
        {found.slice(0, maxListed).map((annotation) => (
          <li key={annotation.id} data-annotation-id={annotation.id} data-annotation-time={annotation.time}>
            <button type="button" title="Go to this moment" onClick={() => jumpToAnnotation(annotation)}>
              <span className="annotation-when">{formatMoment(annotation.time, clock)}</span>
              {annotation.machine !== null ? <span className="annotation-machine">{machineName(annotation.machine)}</span> : null}
              <span className="annotation-author">{annotation.author}</span>
              <span className="annotation-text">{annotation.text}</span>
            </button>
          </li>
        ))}
      </ol>
      {found.length > maxListed ? <p className="annotation-more">{found.length - maxListed} more: search to narrow the list</p> : null}
      {found.length === 0 ? <p className="annotation-none">{annotations.length === 0 ? 'No notes in this recording yet' : 'No note matches'}</p> : null}
      {canAdd ? <AddAnnotationForm description={description} /> : <p className="annotation-none">Notes are added to a live host's recording.</p>}
      <SaveIncident />
    </section>
  );
}

/** Pins a note to the moment shown, and to the selected machine when asked, signed by the operator. */
function AddAnnotationForm({ description }: { description: PlantDescription }) {
  const operator = useOperatorName((state) => state.name);
  const selected = useViewStore((state) => state.selectedMachine);
  const clock = useClock();
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [onMachine, setOnMachine] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const time = useViewStore((state) => state.player?.time ?? 0);
  if (operator === null) {
    const nameProblem = operatorNameProblem(name);
    return (
      <form
        className="annotation-form"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          chooseOperatorName(name);
        }}
      >
        <label>
          Your name <input aria-label="Your name" value={name} maxLength={64} onChange={(event) => setName(event.target.value)} />
        </label>
        <button type="submit" disabled={nameProblem !== null} title={nameProblem ?? 'Sign notes with this name'}>
          Use this name
        </button>
      </form>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    addAnnotation({ time: Math.round(time), machine: onMachine ? selected : null, author: operator, text })
      .then(() => setText(''))
      .catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)))
      .finally(() => setBusy(false));
  };
  return (
    <form className="annotation-form" onSubmit={submit}>
      <textarea aria-label="Note" placeholder={`A note at ${formatMoment(time, clock)}, by ${operator}`} maxLength={maxAnnotationTextLength} value={text} onChange={(event) => setText(event.target.value)} rows={3} />
      {selected !== null ? (
        <label>
          <input type="checkbox" checked={onMachine} onChange={(event) => setOnMachine(event.target.checked)} /> on {description.plant.machines[selected]?.name}
        </label>
      ) : null}
      <button type="submit" disabled={busy || text.trim() === ''}>
        Add note
      </button>
      {problem ? <p role="alert">{problem}</p> : null}
    </form>
  );
}
