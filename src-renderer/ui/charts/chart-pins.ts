import { create } from 'zustand';
import { maxChartSignals } from '../../../src-main/common/contract.ts';

/** Rolling windows a live chart offers, in minutes. */
export const liveWindowChoices = [5, 15, 60] as const;

/** The chart panel's state: the signals pinned to it (signal indices, of any machines) and the live window every chart shows. */
export interface ChartPinsState {
  pinned: number[];
  liveMinutes: (typeof liveWindowChoices)[number];
  /** Whether the inspector shows its chart: closed until asked for, then open for every machine inspected. */
  inspectorChartOpen: boolean;
}

/** The chart panel's store. */
export const useChartPins = create<ChartPinsState>(() => ({ pinned: [], liveMinutes: 5, inspectorChartOpen: false }));

/** Pins a signal to the chart panel, or unpins it when it is there; at most `maxChartSignals` are pinned (the oldest makes room). */
export function togglePin(signal: number): void {
  const { pinned } = useChartPins.getState();
  if (pinned.includes(signal)) useChartPins.setState({ pinned: pinned.filter((other) => other !== signal) });
  else useChartPins.setState({ pinned: [...pinned, signal].slice(-maxChartSignals) });
}

/** Chooses the rolling window of live charts. */
export function chooseLiveWindow(minutes: ChartPinsState['liveMinutes']): void {
  useChartPins.setState({ liveMinutes: minutes });
}
