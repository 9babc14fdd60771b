import { healthStates, type HealthCode } from '../../src-main/common/health.ts';
import { appearanceOf } from '../scene/health-palette.ts';

/** A health state as symbol and word, never colour alone. */
export function HealthBadge({ code, compact = false }: { code: number; compact?: boolean }) {
  const appearance = appearanceOf(code);
  const state = healthStates[code as HealthCode] ?? 'unknown';
  return (
    <span className={`health-badge health-${state}`} title={appearance.label} data-health={state}>
      <span className="health-symbol" aria-hidden="true">{appearance.symbol}</span>
      {compact ? null : <span className="health-word">{state}</span>}
    </span>
  );
}
