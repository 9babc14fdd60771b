import { memo } from 'react';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { hoverMachine, selectMachine } from '../state/view-store.ts';
import { HealthBadge } from './HealthBadge.tsx';
import { PredictedCue } from './forecast/ForecastNote.tsx';

interface MachineListRowProps {
  machine: Machine;
  index: number;
  /** The machine's health code. */
  code: number;
  selected: boolean;
  hovered: boolean;
}

/**
 * One machine's row of the machine list: its health, name and "predicted" cue. Memoised, so a change
 * to one machine (its health, the selection, the hover) renders that row, not every row of the plant.
 */
export const MachineListRow = memo(function MachineListRow({ machine, index, code, selected, hovered }: MachineListRowProps) {
  const classes = [selected ? 'selected' : '', hovered ? 'hovered' : ''].filter(Boolean).join(' ');
  return (
    <li>
      <button
        type="button"
        className={classes}
        aria-current={selected ? 'true' : undefined}
        onClick={() => selectMachine(index)}
        onPointerEnter={() => hoverMachine(index)}
        onPointerLeave={() => hoverMachine(null)}
        onFocus={() => hoverMachine(index)}
        onBlur={() => hoverMachine(null)}
        data-machine={machine.id}
      >
        <HealthBadge code={code} compact />
        <span>{machine.name}</span>
        <PredictedCue machine={index} />
      </button>
    </li>
  );
});
