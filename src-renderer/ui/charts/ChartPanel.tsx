import type { PlantDescription } from '../../../src-main/common/contract.ts';
import type { FrameBuffer } from '../../telemetry/frame-buffer.ts';
import { chooseLiveWindow, liveWindowChoices, togglePin, useChartPins } from './chart-pins.ts';
import { SignalChart, signalOf } from './SignalChart.tsx';

/** The chart panel: the signals pinned from the inspector, of one machine or several, charted together with their cursors in step. */
export function ChartPanel({ description, buffer }: { description: PlantDescription; buffer: FrameBuffer }) {
  const pinned = useChartPins((state) => state.pinned);
  const liveMinutes = useChartPins((state) => state.liveMinutes);
  const shown = pinned.filter((signal) => signalOf(description, signal) !== undefined);
  if (shown.length === 0) return null;
  return (
    <section className="chart-panel" aria-label="Chart panel">
      <header>
        <h2>Charts</h2>
        <label>
          Live window{' '}
          <select aria-label="Live window" value={liveMinutes} onChange={(event) => chooseLiveWindow(Number(event.target.value) as (typeof liveWindowChoices)[number])}>
            {liveWindowChoices.map((minutes) => (
              <option key={minutes} value={minutes}>
                {minutes} min
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => useChartPins.setState({ pinned: [] })}>
          Unpin all
        </button>
      </header>
      <div className="chart-panel-grid">
        {shown.map((signal) => (
          <div className="chart-panel-item" key={signal} data-pinned-signal={signal}>
            <SignalChart description={description} buffer={buffer} signal={signal} />
            <button type="button" className="chart-panel-unpin" aria-label={`Unpin ${signalOf(description, signal)!.label}`} onClick={() => togglePin(signal)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </section>
  );
}
