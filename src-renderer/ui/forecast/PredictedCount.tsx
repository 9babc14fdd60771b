import { filterMachineList, useViewStore } from '../../state/view-store.ts';
import { useForecasts } from './forecast-store.ts';
import './forecast.css';

/**
 * "2 predicted" beside the state counts: how many machines have a forecast within its horizon, a button
 * that filters the machine list to them (pressed again, it shows every machine); nothing when none is.
 * While a replayed moment's forecasts are still being read, it says so instead of showing none (in
 * the button, when the list is filtered to the predicted machines, so the filter can still be undone).
 * It follows the forecast store, which changes about once a second at most.
 */
export function PredictedCount() {
  const count = useForecasts((state) => state.predicted.size);
  const pending = useForecasts((state) => state.pending);
  const filtered = useViewStore((state) => state.listFilter.predicted === true);
  if (pending && !filtered) {
    return (
      <span className="state-count predicted-count" data-forecasts-pending="" title="Reading the forecasts at this moment from the recording">
        <span aria-hidden="true">◔</span>
        forecasts…
      </span>
    );
  }
  if (count === 0 && !filtered) return null;
  return (
    <button
      type="button"
      className="state-count predicted-count"
      aria-pressed={filtered}
      data-predicted-count={count}
      title={filtered ? 'Show every machine in the list' : 'Show only the machines whose trend reaches a limit within the forecast horizon'}
      onClick={() => filterMachineList({ predicted: !filtered })}
    >
      <span aria-hidden="true">◔</span>
      {pending ? 'forecasts…' : `${count} predicted`}
    </button>
  );
}
