import { appearanceOf } from '../scene/health-palette.ts';
import { Health } from '../../src-main/common/health.ts';
import { filterMachineList, useViewStore } from '../state/view-store.ts';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { useThrottledVersion } from '../telemetry/use-throttled-version.ts';
import { countAbnormal } from './machine-triage.ts';
import { PredictedCount } from './forecast/PredictedCount.tsx';

/**
 * The plant at a glance: how many machines are in each state that needs a look ("2 alarms · 7 offline"),
 * each a button that filters the machine list to that state (pressed again, it shows every machine).
 * Counts follow the throttled telemetry, never each frame.
 */
export function StateCounts({ buffer }: { buffer: FrameBuffer }) {
  useThrottledVersion(buffer, 500);
  const filtered = useViewStore((state) => state.listFilter.state);
  const machineHealth = buffer.getState().machineHealth;
  const counts = countAbnormal(machineHealth);
  return (
    <span className="state-counts" role="group" aria-label="Machines by state">
      {counts.length === 0 ? (
        <span className="state-count-all-ok" data-state-count="ok">
          {appearanceOf(Health.ok).symbol} all {machineHealth.length} ok
        </span>
      ) : (
        counts.map(({ state, words }, index) => [
          index > 0 ? (
            <span key={`${state}-separator`} className="state-count-separator" aria-hidden="true">
              ·
            </span>
          ) : null,
          <button
            key={state}
            type="button"
            className={`state-count health-${state}`}
            aria-pressed={filtered === state}
            data-state-count={state}
            title={filtered === state ? 'Show every machine in the list' : `Show only these machines in the list`}
            onClick={() => filterMachineList({ state: filtered === state ? null : state })}
          >
            <span className="health-symbol" aria-hidden="true">
              {appearanceOf(Health[state]).symbol}
            </span>
            {words}
          </button>,
        ])
      )}
      <PredictedCount />
    </span>
  );
}
