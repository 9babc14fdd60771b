import { useState } from 'react';
import { stepSeconds, type Tour, type TourStep } from '../../src-main/common/tours/tours-schema.ts';
import { StepMomentControl } from './StepMomentControl.tsx';
import { changeTours, deleteViewpoint, flyToViewpoint, freeName, playTour, renameViewpoint, saveCurrentViewpoint, startPresenting, useToursState } from './tours-state.ts';

/** One viewpoint: fly to it, rename it, delete it. */
function ViewpointRow({ name, writable }: { name: string; writable: boolean }) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const viewpoint = useToursState((state) => state.document?.viewpoints.find((candidate) => candidate.name === name));
  if (!viewpoint) return null;
  if (renaming !== null) {
    const finish = () => {
      const next = renaming.trim();
      setRenaming(null);
      if (next !== '' && next !== name) void renameViewpoint(name, next);
    };
    return (
      <li className="tour-viewpoint" data-viewpoint={name}>
        <input aria-label={`New name of ${name}`} value={renaming} maxLength={80} autoFocus onChange={(event) => setRenaming(event.target.value)} onBlur={finish} onKeyDown={(event) => event.key === 'Enter' && finish()} />
      </li>
    );
  }
  return (
    <li className="tour-viewpoint" data-viewpoint={name}>
      <button type="button" className="tour-fly" title="Fly to this viewpoint" onClick={() => flyToViewpoint(viewpoint)}>
        {name}
      </button>
      {viewpoint.machine ? <small>{viewpoint.machine}</small> : null}
      {writable ? (
        <>
          <button type="button" aria-label={`Rename ${name}`} title="Rename" onClick={() => setRenaming(name)}>
            ✎
          </button>
          <button type="button" aria-label={`Delete ${name}`} title="Delete (and the steps that visit it)" onClick={() => void deleteViewpoint(name)}>
            ✕
          </button>
        </>
      ) : null}
    </li>
  );
}

/** One step of the tour being edited: its viewpoint, caption and stay; moved up or down, deleted. */
function StepRow({ tour, index, step, viewpoints, writable }: { tour: Tour; index: number; step: TourStep; viewpoints: string[]; writable: boolean }) {
  const [caption, setCaption] = useState(step.caption);
  const change = (edit: (step: TourStep, steps: TourStep[]) => void) =>
    void changeTours((document) => {
      const steps = document.tours.find((candidate) => candidate.name === tour.name)?.steps;
      if (steps?.[index]) edit(steps[index], steps);
    });
  const move = (delta: number) =>
    void changeTours((document) => {
      const steps = document.tours.find((candidate) => candidate.name === tour.name)?.steps;
      if (!steps || index + delta < 0 || index + delta >= steps.length) return;
      [steps[index], steps[index + delta]] = [steps[index + delta]!, steps[index]!];
    });
  return (
    <li className="tour-step" data-step={index}>
      <span className="tour-step-number">{index + 1}</span>
      <select aria-label={`Viewpoint of step ${index + 1}`} value={step.viewpoint} disabled={!writable} onChange={(event) => change((edited) => (edited.viewpoint = event.target.value))}>
        {viewpoints.map((name) => (
          <option key={name}>{name}</option>
        ))}
      </select>
      <input
        type="number"
        aria-label={`Seconds of step ${index + 1}`}
        title="How long to stay, in seconds"
        min={stepSeconds.min}
        max={stepSeconds.max}
        step={0.5}
        value={step.seconds}
        disabled={!writable}
        onChange={(event) => {
          const seconds = Number(event.target.value);
          if (seconds >= stepSeconds.min && seconds <= stepSeconds.max) change((edited) => (edited.seconds = seconds));
        }}
      />
      <textarea
        aria-label={`Caption of step ${index + 1}`}
        placeholder="Caption"
        maxLength={500}
        rows={2}
        value={caption}
        disabled={!writable}
        onChange={(event) => setCaption(event.target.value)}
        // Saved when the user leaves the field, not at every key.
        onBlur={() => caption !== step.caption && change((edited) => (edited.caption = caption))}
      />
      <StepMomentControl tour={tour.name} index={index} step={step} writable={writable} />
      {writable ? (
        <span className="tour-step-actions">
          <button type="button" aria-label={`Move step ${index + 1} up`} disabled={index === 0} onClick={() => move(-1)}>
            ↑
          </button>
          <button type="button" aria-label={`Move step ${index + 1} down`} disabled={index === tour.steps.length - 1} onClick={() => move(1)}>
            ↓
          </button>
          <button type="button" aria-label={`Delete step ${index + 1}`} onClick={() => change((_, steps) => void steps.splice(index, 1))}>
            ✕
          </button>
        </span>
      ) : null}
    </li>
  );
}

/** The tours panel: save the view as a viewpoint, the viewpoints, and a simple tour editor with play and present. */
export function ToursPanel() {
  const document = useToursState((state) => state.document);
  const writable = useToursState((state) => state.writable);
  const problem = useToursState((state) => state.problem);
  const [viewpointName, setViewpointName] = useState('');
  const [tourName, setTourName] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  if (!document) return <section className="tours-panel" aria-label="Tours"><p>{problem ?? 'Loading the tours…'}</p></section>;
  const tour = document.tours.find((candidate) => candidate.name === chosen) ?? document.tours[0];
  const viewpoints = document.viewpoints.map((viewpoint) => viewpoint.name);
  const addStep = (viewpoint: string) =>
    tour && void changeTours((next) => void next.tours.find((candidate) => candidate.name === tour.name)?.steps.push({ viewpoint, caption: '', seconds: 8 }));
  return (
    <section className="tours-panel" aria-label="Tours">
      {problem ? <p className="tours-problem">{problem}</p> : null}
      {writable ? null : <p className="tours-read-only">These tours are read-only here.</p>}
      <h2>Viewpoints</h2>
      {writable ? (
        <form
          className="tours-row"
          onSubmit={(event) => {
            event.preventDefault();
            void saveCurrentViewpoint(viewpointName).then(() => setViewpointName(''));
          }}
        >
          <input aria-label="Viewpoint name" placeholder="Name of this view" maxLength={80} value={viewpointName} onChange={(event) => setViewpointName(event.target.value)} />
          <button type="submit">Save view</button>
        </form>
      ) : null}
      <ul className="tour-viewpoints">
        {viewpoints.map((name) => (
          <ViewpointRow key={name} name={name} writable={writable} />
        ))}
      </ul>
      <h2>Tours</h2>
      <div className="tours-row">
        <select aria-label="Tour" value={tour?.name ?? ''} onChange={(event) => setChosen(event.target.value)}>
          {document.tours.map((candidate) => (
            <option key={candidate.name}>{candidate.name}</option>
          ))}
        </select>
        <button type="button" disabled={!tour || tour.steps.length === 0} onClick={() => tour && playTour(tour.name)}>
          ▶ Play
        </button>
        <button
          type="button"
          disabled={!tour || tour.steps.length === 0}
          onClick={() => {
            if (!tour) return;
            startPresenting();
            playTour(tour.name);
          }}
        >
          Present
        </button>
      </div>
      {writable ? (
        <form
          className="tours-row"
          onSubmit={(event) => {
            event.preventDefault();
            const name = freeName(tourName.trim() || 'Tour', document.tours.map((candidate) => candidate.name));
            void changeTours((next) => void next.tours.push({ name, steps: [] })).then(() => setChosen(name));
            setTourName('');
          }}
        >
          <input aria-label="New tour name" placeholder="New tour" maxLength={80} value={tourName} onChange={(event) => setTourName(event.target.value)} />
          <button type="submit">Add tour</button>
        </form>
      ) : null}
      {tour ? (
        <>
          <ol className="tour-steps">
            {tour.steps.map((step, index) => (
              <StepRow key={`${tour.name}-${index}-${step.viewpoint}-${step.caption}`} tour={tour} index={index} step={step} viewpoints={viewpoints} writable={writable} />
            ))}
          </ol>
          {writable ? (
            <div className="tours-row">
              <button type="button" disabled={viewpoints.length === 0} onClick={() => addStep(viewpoints[0]!)}>
                Add step
              </button>
              <button
                type="button"
                title="Saves the current view as a viewpoint and adds it as a step"
                onClick={() => void saveCurrentViewpoint(`${tour.name} ${tour.steps.length + 1}`).then((name) => name && addStep(name))}
              >
                Add this view as a step
              </button>
              <button type="button" onClick={() => void changeTours((next) => void (next.tours = next.tours.filter((candidate) => candidate.name !== tour.name)))}>
                Delete tour
              </button>
            </div>
          ) : null}
        </>
      ) : null}
      <p className="tours-keys">PageDown / PageUp: next / previous step · Escape: stop. Presenting: → / ← and Space too.</p>
    </section>
  );
}
