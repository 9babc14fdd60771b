import type { SignalForecast } from '../../../src-main/common/forecast/forecast-record.ts';

/** A lead time in words a control room reads at a glance: "~40 s", "~12 min", "~2.5 h". */
export function formatLead(milliseconds: number): string {
  const seconds = Math.max(0, milliseconds / 1000);
  if (seconds < 90) return `~${Math.max(1, Math.round(seconds / 10) * 10 || Math.round(seconds))} s`;
  const minutes = seconds / 60;
  if (minutes < 90) return `~${Math.round(minutes)} min`;
  const hours = minutes / 60;
  return `~${hours < 10 ? hours.toFixed(1) : Math.round(hours)} h`;
}

/** "warning in ~12 min (confidence high)", seen from `now` (the moment shown); "warning now" once it is due. */
export function describeForecast(forecast: SignalForecast, now: number): string {
  const lead = forecast.at - now;
  const when = lead <= 0 ? 'due now' : `in ${formatLead(lead)}`;
  return `${forecast.limit} ${when} (confidence ${forecast.confidence})`;
}
