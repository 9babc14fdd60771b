import { useEffect } from 'react';
import type { ForecastSnapshot } from '../../../src-main/common/forecast/forecast-record.ts';
import { currentHost } from '../../host-link.ts';
import { useViewStore } from '../../state/view-store.ts';
import { takeForecasts, useForecasts } from './forecast-store.ts';

/** Keeps the forecast store fed with the host's `forecast` stream while the view is linked (subscribing again after each reconnect). */
export function useForecastFeed(): void {
  const linked = useViewStore((state) => state.hostLink === 'connected');
  useEffect(() => {
    const host = linked ? currentHost() : undefined;
    if (!host) return;
    const take = (snapshot: ForecastSnapshot) => {
      try {
        // The same forecasts again (a second later) change nothing shown but the time: skip the render.
        const previous = useForecasts.getState().snapshot;
        if (previous && previous.forecasts.length === 0 && snapshot.forecasts.length === 0 && previous.pending === snapshot.pending) return;
        takeForecasts(snapshot);
      } catch (error) {
        console.error(`Twinline: showing the forecasts failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    };
    return host.subscribe('forecast', take);
  }, [linked]);
}
