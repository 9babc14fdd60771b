import { useEffect, useState, type FormEvent } from 'react';
import { currentHost } from '../../host-link.ts';
import { electronBridge } from '../../transport/electron-bridge.ts';
import { useClock } from '../../state/clock-setting.ts';
import { useViewStore } from '../../state/view-store.ts';
import { formatMoment } from '../format.ts';
import { useAnnotations } from './annotation-store.ts';

/** Longest range a view may package (the host says the same); longer ones go through `twinline package`. */
const maxRangeMs = 3_600_000;

/**
 * *Save incident…* over the timeline's selected range: a title and a summary, then the host writes
 * the package (the range, the plant and its models, the notes) into its recordings folder and says
 * its name there.
 */
export function SaveIncident() {
  const range = useViewStore((state) => state.selectedRange);
  const clock = useClock();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [outcome, setOutcome] = useState<{ saved: boolean; text: string; download?: string; copyOf?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const formAsked = useAnnotations((state) => state.incidentFormAsked);
  const canSave = range !== null && range.end - range.start <= maxRangeMs;
  useEffect(() => {
    if (!formAsked) return;
    useAnnotations.setState({ incidentFormAsked: false });
    // Without a range (or with too long a one) the panel's own words say what to do.
    if (canSave) setOpen(true);
  }, [formAsked, canSave]);
  if (!range) return <p className="annotation-none">Shift-drag on the timeline to choose a range, then save it as an incident package.</p>;
  const tooLong = range.end - range.start > maxRangeMs;
  if (!open) {
    return (
      <div className="annotation-form">
        <button type="button" className="save-incident" disabled={tooLong} title={tooLong ? 'At most an hour from the view; use twinline package for more' : 'Write the selected range as one file for investigators'} onClick={() => setOpen(true)}>
          Save incident…
        </button>
        {outcome ? (
          <p role={outcome.saved ? 'status' : 'alert'}>
            {outcome.text}
            {outcome.download ? (
              <>
                {' '}
                <a href={outcome.download} download>
                  Download
                </a>
              </>
            ) : null}
            {outcome.copyOf ? (
              <>
                {' '}
                <button type="button" className="save-incident-copy" onClick={() => saveCopy(outcome.copyOf!)}>
                  Save a copy…
                </button>
              </>
            ) : null}
          </p>
        ) : null}
      </div>
    );
  }
  // The desktop app asks where to keep a copy (a save dialog); the package itself stays in the recordings folder.
  const saveCopy = (name: string) => {
    const bridge = electronBridge();
    if (!bridge?.saveIncidentCopy) return;
    bridge
      .saveIncidentCopy(name)
      .then((result) => {
        if (result.ok) setOutcome({ saved: true, text: `Saved a copy as ${result.file}`, copyOf: name });
        else if (!result.cancelled) setOutcome({ saved: false, text: result.message, copyOf: name });
      })
      .catch((error: unknown) => setOutcome({ saved: false, text: `The copy was not saved: ${error instanceof Error ? error.message : String(error)}`, copyOf: name }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const host = currentHost();
    if (!host) return;
    setBusy(true);
    setOutcome(null);
    host
      .request('saveIncident', { from: Math.floor(range.start), to: Math.ceil(range.end), title: title.trim() || undefined, summary: summary.trim() ? summary : undefined })
      .then((saved) => {
        // In a browser the view server hands the file out under the same name; the desktop app offers to save a copy where the user chooses.
        const download = globalThis.location?.protocol.startsWith('http') ? saved.name : undefined;
        const copyOf = electronBridge()?.saveIncidentCopy ? saved.name : undefined;
        setOutcome({ saved: true, text: `Saved ${saved.name} in the recordings folder (${saved.annotations} note${saved.annotations === 1 ? '' : 's'})`, download, copyOf });
        setOpen(false);
      })
      .catch((error: unknown) => setOutcome({ saved: false, text: error instanceof Error ? error.message : String(error) }))
      .finally(() => setBusy(false));
  };
  return (
    <form className="annotation-form save-incident-form" aria-label="Save incident" onSubmit={submit}>
      <span className="annotation-when">
        {formatMoment(range.start, clock)} – {formatMoment(range.end, clock)}
      </span>
      <input aria-label="Incident title" placeholder="Title" maxLength={200} value={title} onChange={(event) => setTitle(event.target.value)} />
      <textarea aria-label="Incident summary" placeholder="Summary: what happened, what was found" maxLength={8000} rows={3} value={summary} onChange={(event) => setSummary(event.target.value)} />
      <button type="submit" disabled={busy}>
        Save
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {outcome ? <p role={outcome.saved ? 'status' : 'alert'}>{outcome.text}</p> : null}
    </form>
  );
}
