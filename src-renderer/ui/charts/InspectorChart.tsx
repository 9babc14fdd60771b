import { useState } from 'react';
import type { PlantDescription } from '../../../src-main/common/contract.ts';
import type { FrameBuffer } from '../../telemetry/frame-buffer.ts';
import { togglePin, useChartPins } from './chart-pins.ts';
import { SignalChart } from './SignalChart.tsx';

/** The inspector's chart of one of the machine's signals (the first with limits at first), shown when asked for, with a button to pin it to the chart panel. */
export function InspectorChart({ description, buffer, machine }: { description: PlantDescription; buffer: FrameBuffer; machine: number }) {
  const spec = description.plant.machines[machine];
  const firstSignal = description.signalMachine.indexOf(machine);
  const firstWithLimits = spec?.signals.findIndex((signal) => signal.limits !== undefined) ?? -1;
  const [offset, setOffset] = useState(Math.max(0, firstWithLimits));
  const pinned = useChartPins((state) => state.pinned);
  const open = useChartPins((state) => state.inspectorChartOpen);
  if (!spec || firstSignal < 0 || spec.signals.length === 0) return null;
  const signal = firstSignal + Math.min(offset, spec.signals.length - 1);
  const isPinned = pinned.includes(signal);
  return (
    <section className="inspector-chart" aria-label="Signal chart">
      <div className="inspector-chart-tools">
        <select aria-label="Charted signal" value={signal - firstSignal} onChange={(event) => setOffset(Number(event.target.value))}>
          {spec.signals.map((entry, index) => (
            <option key={entry.id} value={index}>
              {entry.name ?? entry.id}
            </option>
          ))}
        </select>
        <button type="button" aria-expanded={open} onClick={() => useChartPins.setState({ inspectorChartOpen: !open })}>
          {open ? 'Hide chart' : 'Show chart'}
        </button>
        <button type="button" aria-pressed={isPinned} title="Pin this signal to the chart panel, beside signals of other machines" onClick={() => togglePin(signal)}>
          {isPinned ? 'Unpin' : 'Pin to panel'}
        </button>
      </div>
      {open ? <SignalChart description={description} buffer={buffer} signal={signal} /> : null}
    </section>
  );
}
