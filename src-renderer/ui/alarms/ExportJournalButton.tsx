import { useState } from 'react';
import { currentHost } from '../../host-link.ts';
import { useClockSetting } from '../../state/clock-setting.ts';
import { reportProblem, useViewStore } from '../../state/view-store.ts';
import { fileNameTime } from '../format.ts';
import { journalOnClock } from './journal-on-clock.ts';

/**
 * Downloads the alarm journal (every raise, acknowledgement, shelf and return, who and why) of the
 * timeline's selected range, else its visible stretch, as `twinline export --alarms` writes it, with
 * times and the file name on the user's clock. Disabled, saying why, while nothing is recorded.
 */
export function ExportJournalButton() {
  const stretch = useViewStore((state) => state.selectedRange ?? state.timelineWindow);
  const canReplay = useViewStore((state) => state.player?.capabilities.replay ?? false);
  const [busy, setBusy] = useState(false);
  const offReason = !canReplay ? 'Nothing is recorded: the journal is read from the recording' : !stretch ? 'Nothing is recorded yet' : busy ? 'Exporting…' : null;
  const download = () => {
    const host = currentHost();
    if (!stretch || !host) return;
    setBusy(true);
    const from = Math.floor(stretch.start);
    host
      .exportAlarmJournal({ from, to: Math.ceil(stretch.end) })
      .then(({ csv }) => {
        const clock = useClockSetting.getState().clock;
        const link = document.createElement('a');
        link.href = URL.createObjectURL(new Blob([journalOnClock(csv, clock)], { type: 'text/csv' }));
        link.download = `alarm-journal-${fileNameTime(from, clock)}.csv`;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      })
      .catch((error: unknown) => reportProblem(`Alarm journal: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => setBusy(false));
  };
  return (
    <button
      type="button"
      className="alarm-export-journal"
      disabled={offReason !== null}
      title={offReason ?? "Every raise, acknowledgement, shelf and return to normal, who and why, over the timeline's selected range (Shift-drag on it), else its visible stretch, as CSV"}
      onClick={download}
    >
      Export journal
    </button>
  );
}
