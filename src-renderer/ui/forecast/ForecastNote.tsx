import { describeForecast } from './forecast-words.ts';
import { useForecasts } from './forecast-store.ts';
import './forecast.css';

/** A signal's look ahead in the inspector: "warning in ~12 min (confidence high)", nothing when no limit is ahead. */
export function ForecastNote({ signal, now }: { signal: number; now: number }) {
  const forecast = useForecasts((state) => state.bySignal.get(signal));
  if (!forecast) return null;
  const range = forecast.latest === null ? 'or never' : `to ${new Date(forecast.latest).toLocaleTimeString()}`;
  return (
    <span className={forecast.predicted ? 'forecast-note predicted' : 'forecast-note'} data-forecast={forecast.limit} title={`Trend ${forecast.slopePerSecond > 0 ? '+' : ''}${forecast.slopePerSecond.toPrecision(3)}/s toward ${forecast.limitValue}; 90 % range ${new Date(forecast.earliest).toLocaleTimeString()} ${range}`}>
      {describeForecast(forecast, now)}
    </span>
  );
}

/** The "predicted" cue of a machine row: a forecast of this machine reaches a limit within its horizon. */
export function PredictedCue({ machine }: { machine: number }) {
  const predicted = useForecasts((state) => state.predicted.has(machine));
  return predicted ? (
    <span className="predicted-cue" data-predicted title="A signal's trend reaches a limit within the forecast horizon">
      ◔ predicted
    </span>
  ) : null;
}
