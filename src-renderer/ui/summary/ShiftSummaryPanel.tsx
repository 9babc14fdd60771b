import { useEffect } from 'react';
import type { PlantDescription } from '../../../src-main/common/contract.ts';
import { Health } from '../../../src-main/common/health.ts';
import { shiftSummaryCsv, stateShares, summaryStates, summaryStateWords, type ShiftSummary } from '../../../src-main/common/shift-summary.ts';
import { currentHost } from '../../host-link.ts';
import { appearanceOf } from '../../scene/health-palette.ts';
import { useClock, useClockSetting } from '../../state/clock-setting.ts';
import { useViewStore } from '../../state/view-store.ts';
import { fileNameTime, formatIsoTime, formatMoment } from '../format.ts';
import { plantShifts } from '../../../src-main/common/shift-settings.ts';
import { summaryRange } from './summary-range.ts';
import { showShiftSummary, useSummaryStore } from './summary-store.ts';
import './summary.css';

/** Reads the summary of the range the view stands on (the selection, else the shift shown) from the host. */
function readSummary(): void {
  const host = currentHost();
  if (!host) return;
  const { selectedRange, player, description } = useViewStore.getState();
  // Live, the moment shown is now (the host cuts the range at what it has recorded).
  const shown = player?.mode === 'replay' ? player.time : Date.now();
  const range = summaryRange(selectedRange, shown, useClockSetting.getState().clock, description ? plantShifts(description.plant) : undefined);
  useSummaryStore.setState({ loading: true, rangeName: range.name });
  host
    .request('getShiftSummary', { from: range.from, to: range.to })
    .then((summary) => useSummaryStore.setState({ summary, problem: null, loading: false }))
    .catch((error: unknown) => useSummaryStore.setState({ problem: error instanceof Error ? error.message : String(error), loading: false }));
}

/** Downloads the summary as CSV, its times on the chosen clock. */
function downloadCsv(summary: ShiftSummary, description: PlantDescription, rangeName: string): void {
  const clock = useClockSetting.getState().clock;
  const csv = shiftSummaryCsv(summary, (machine) => description.plant.machines[machine]?.name ?? `machine ${machine}`, (time) => formatIsoTime(time, clock), rangeName || undefined);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  link.download = `shift-summary-${fileNameTime(summary.from, clock)}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** One row's shares as a small stacked bar, each state in its timeline colour, with the shares in its title. */
function StateBar({ milliseconds }: { milliseconds: number[] }) {
  const shares = stateShares(milliseconds);
  const words = summaryStates
    .map((state, index) => ({ state, share: shares[index]! }))
    .filter(({ share }) => share > 0)
    .map(({ state, share }) => `${summaryStateWords[state]} ${(share * 100).toFixed(1)} %`)
    .join(', ');
  return (
    <span className="summary-bar" role="img" aria-label={words || 'nothing recorded'} title={words}>
      {summaryStates.map((state, index) =>
        shares[index]! > 0 ? <span key={state} data-state={state} style={{ width: `${shares[index]! * 100}%`, background: appearanceOf(Health[state]).css }} /> : null,
      )}
    </span>
  );
}

/** Minutes as "12.5 min", or seconds below a minute. */
function formatDuration(milliseconds: number): string {
  return milliseconds < 60_000 ? `${Math.round(milliseconds / 1000)} s` : `${(milliseconds / 60_000).toFixed(1)} min`;
}

/**
 * The shift summary for managers: per area and line, the share of time in each state over the shift
 * shown (or the timeline's selection), as small bars with the alarm share beside them, and the
 * machines longest in alarm; read from the recording on the host, refreshed every 30 s while open.
 */
export function ShiftSummaryPanel({ description }: { description: PlantDescription }) {
  const { open, summary, rangeName, problem, loading } = useSummaryStore();
  const clock = useClock();
  const selectedRange = useViewStore((state) => state.selectedRange);
  const replaying = useViewStore((state) => state.player?.mode === 'replay');
  useEffect(() => {
    if (!open) return;
    readSummary();
    const timer = setInterval(() => {
      try {
        readSummary();
      } catch (error) {
        useSummaryStore.setState({ problem: `refreshing the shift summary failed: ${error instanceof Error ? error.message : String(error)}` });
      }
    }, 30_000);
    return () => clearInterval(timer);
  }, [open, selectedRange, replaying]);
  if (!open) return null;
  const machineName = (machine: number) => description.plant.machines[machine]?.name ?? `machine ${machine}`;
  let area: string | null = null;
  return (
    <section className="summary-panel" aria-label="Shift summary">
      <header>
        <h2>{rangeName || 'Shift summary'}</h2>
        <button type="button" onClick={readSummary} disabled={loading} title="Read the summary again">
          ↻
        </button>
        <button type="button" disabled={!summary} onClick={() => summary && downloadCsv(summary, description, rangeName)} title="The shares per line and the machines longest in alarm, as CSV">
          Export CSV
        </button>
        <button type="button" aria-label="Close the shift summary" onClick={() => showShiftSummary(false)}>
          ✕
        </button>
      </header>
      {summary ? (
        <p className="summary-range" data-summary-from={summary.from} data-summary-to={summary.to}>
          {formatMoment(summary.from, clock)} – {formatMoment(summary.to, clock)}
        </p>
      ) : null}
      {problem ? <p className="summary-problem" role="alert">{problem}</p> : null}
      {summary ? (
        <>
          <table className="summary-lines">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Time in each state</th>
                <th scope="col">Alarm</th>
              </tr>
            </thead>
            <tbody>
              {summary.lines.flatMap((line) => {
                const rows = [];
                if (line.area !== area) {
                  area = line.area;
                  rows.push(
                    <tr key={`area-${line.area}`} className="summary-area">
                      <th scope="rowgroup" colSpan={3}>
                        {line.area}
                      </th>
                    </tr>,
                  );
                }
                const alarmShare = stateShares(line.milliseconds)[summaryStates.indexOf('alarm')]!;
                rows.push(
                  <tr key={`${line.area}/${line.line}`} data-summary-line={`${line.area}/${line.line}`}>
                    <th scope="row">{line.line}</th>
                    <td>
                      <StateBar milliseconds={line.milliseconds} />
                    </td>
                    <td className="summary-alarm-share">{(alarmShare * 100).toFixed(1)} %</td>
                  </tr>,
                );
                return rows;
              })}
            </tbody>
          </table>
          <h3>Longest in alarm</h3>
          {summary.topAlarm.length === 0 ? (
            <p className="summary-none">No machine was in alarm.</p>
          ) : (
            <ol className="summary-top">
              {summary.topAlarm.map((machine) => (
                <li key={machine.machine} data-summary-machine={machine.machine}>
                  <span className="summary-machine-name">{machineName(machine.machine)}</span>
                  <span>{formatDuration(machine.milliseconds[Health.alarm]!)}</span>
                  <span className="summary-muted">
                    {machine.alarmsEntered} alarm{machine.alarmsEntered === 1 ? '' : 's'}
                  </span>
                  <StateBar milliseconds={machine.milliseconds} />
                </li>
              ))}
            </ol>
          )}
          <p className="summary-legend">
            {summaryStates.map((state) => (
              <span key={state}>
                <span className="summary-swatch" style={{ background: appearanceOf(Health[state]).css }} /> {summaryStateWords[state]}
              </span>
            ))}
          </p>
          {summary.gaps.length > 0 ? <p className="summary-problem">Parts of this range could not be read from a damaged recording; they count as the state before them.</p> : null}
        </>
      ) : loading ? (
        <p className="summary-none">Reading the recording…</p>
      ) : null}
    </section>
  );
}

/** The status bar's button that opens the shift summary (shown where there is a recording to summarise). */
export function ShiftSummaryButton() {
  const open = useSummaryStore((state) => state.open);
  const hasRecording = useViewStore((state) => state.player?.capabilities.replay ?? false);
  if (!hasRecording) return null;
  return (
    <button type="button" aria-pressed={open} onClick={() => showShiftSummary(!open)} title="Share of time in each state per line, and the machines longest in alarm, over this shift or the timeline's selection">
      Summary
    </button>
  );
}
