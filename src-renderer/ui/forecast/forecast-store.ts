import { create } from 'zustand';
import { predictedMachines, type ForecastSnapshot, type SignalForecast } from '../../../src-main/common/forecast/forecast-record.ts';

/** The view's forecasts: the host's last `forecast` snapshot (about once a second), and the machines it marks predicted. */
export interface ForecastViewState {
  snapshot: ForecastSnapshot | null;
  /** Machine indices with a forecast within its horizon. */
  predicted: ReadonlySet<number>;
  /** Each forecast signal's forecast, by signal index: what the inspector and charts draw. */
  bySignal: ReadonlyMap<number, SignalForecast>;
  /** A replayed moment whose forecasts are still being read: none are known for it yet. */
  pending: boolean;
}

/** The forecasts the host last sent; React state is fine at this rate (once a second at most). */
export const useForecasts = create<ForecastViewState>(() => ({ snapshot: null, predicted: new Set(), bySignal: new Map(), pending: false }));

/** Takes a snapshot from the host into the store. */
export function takeForecasts(snapshot: ForecastSnapshot): void {
  useForecasts.setState({
    snapshot,
    predicted: new Set(predictedMachines(snapshot)),
    bySignal: new Map(snapshot.forecasts.map((forecast) => [forecast.signal, forecast])),
    pending: snapshot.pending === true,
  });
}

/** A signal's forecast, for charts drawing the projected line (from (`from`, `value`) with `slopePerSecond`, to `limitValue` at `at`). */
export function signalForecast(signal: number): SignalForecast | undefined {
  return useForecasts.getState().bySignal.get(signal);
}
