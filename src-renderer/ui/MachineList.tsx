import { useEffect, useRef } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { healthStates, type HealthState } from '../../src-main/common/health.ts';
import { appearanceOf } from '../scene/health-palette.ts';
import { filterMachineList, hoverMachine, isReplaying, useViewStore } from '../state/view-store.ts';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { healthSinceOf } from '../telemetry/health-since.ts';
import { machineMatches } from './machine-triage.ts';
import { MachineListRow } from './MachineListRow.tsx';
import { useMachineHealth } from './use-machine-health.ts';
import { useForecasts } from './forecast/forecast-store.ts';

/** Longest search text kept: a name, an id or an area, never a pasted document. */
const maxSearchLength = 200;

/** States the filter offers, most urgent first. */
const filterStates: HealthState[] = ['alarm', 'warn', 'offline', 'bad', 'stale', 'unknown', 'ok'];

/**
 * The plant's machines grouped by area and line, each with its health, with a search (name, id, area,
 * line) and a state filter. The selected machine always shows and is scrolled into view whenever it
 * changes (a click in the scene, an alarm jump); hovering a row highlights the machine in the scene,
 * and the row of a machine hovered in the scene is highlighted.
 */
export function MachineList({ description, buffer }: { description: PlantDescription; buffer: FrameBuffer }) {
  const predicted = useForecasts((state) => state.predicted);
  const selected = useViewStore((state) => state.selectedMachine);
  const hovered = useViewStore((state) => state.hoveredMachine);
  const filter = useViewStore((state) => state.listFilter);
  const focusSerial = useViewStore((state) => state.focusRequest?.serial ?? 0);
  const list = useRef<HTMLDivElement>(null);
  // Rebuilt only when some machine's health changed (looked at twice a second), not on every telemetry tick.
  const health = useMachineHealth(buffer, 500);
  const groups = new Map<string, Map<string, number[]>>();
  let shown = 0;
  description.plant.machines.forEach((machine, index) => {
    // The selected machine stays in the list whatever the filter, so a jump to it always lands on a row.
    if (index !== selected && !machineMatches(machine, health[index]!, filter, predicted.has(index))) return;
    shown++;
    const lines = groups.get(machine.area) ?? new Map<string, number[]>();
    const members = lines.get(machine.line) ?? [];
    members.push(index);
    lines.set(machine.line, members);
    groups.set(machine.area, lines);
  });

  // Health changes are dated from the first frames on (the list is always shown), so the inspector can say since when.
  useEffect(() => void healthSinceOf(buffer, isReplaying), [buffer]);

  useEffect(() => {
    const element = list.current;
    if (selected === null || !element) return;
    const id = description.plant.machines[selected]?.id;
    const row = id === undefined ? undefined : element.querySelector(`[data-machine="${CSS.escape(id)}"]`);
    row?.scrollIntoView({ block: 'nearest' });
    // The list shrinks when the page around it changes (the status bar wraps as counts appear): the selected row stays in view.
    const keepInView = new ResizeObserver(() => row?.scrollIntoView({ block: 'nearest' }));
    keepInView.observe(element);
    return () => keepInView.disconnect();
  }, [selected, focusSerial, description]);

  const filtering = filter.text !== '' || filter.state !== null || filter.predicted === true;
  return (
    <nav className="machine-list" aria-label="Machines">
      <div className="machine-filter">
        <input
          type="search"
          aria-label="Search machines"
          placeholder="Search name, id, area…"
          maxLength={maxSearchLength}
          value={filter.text}
          onChange={(event) => filterMachineList({ text: event.target.value.slice(0, maxSearchLength) })}
        />
        <select aria-label="Show machines in state" value={filter.state ?? ''} onChange={(event) => filterMachineList({ state: toState(event.target.value) })}>
          <option value="">Any state</option>
          {filterStates.map((state) => (
            <option key={state} value={state}>
              {appearanceOf(healthStates.indexOf(state)).symbol} {state}
            </option>
          ))}
        </select>
        {filtering ? (
          <p className="machine-filter-summary" role="status">
            {shown} of {description.plant.machines.length} shown{' '}
            <button type="button" onClick={() => filterMachineList({ text: '', state: null, predicted: false })}>
              Show all
            </button>
          </p>
        ) : null}
      </div>
      <div ref={list} className="machine-rows" onPointerLeave={() => hoverMachine(null)}>
        {[...groups].map(([area, lines]) => (
          <section key={area}>
            <h3>{area}</h3>
            {[...lines].map(([line, members]) => (
              <div key={line} className="line-group">
                <h4>{line}</h4>
                <ul>
                  {members.map((index) => {
                    const machine = description.plant.machines[index]!;
                    return <MachineListRow key={machine.id} machine={machine} index={index} code={health[index]!} selected={selected === index} hovered={hovered === index} />;
                  })}
                </ul>
              </div>
            ))}
          </section>
        ))}
        {shown === 0 ? <p className="machine-filter-empty">No machine matches.</p> : null}
      </div>
    </nav>
  );
}

/** A state chosen in the filter, or null for any; text that names no state is any. */
function toState(value: string): HealthState | null {
  return (healthStates as readonly string[]).includes(value) ? (value as HealthState) : null;
}
