import { maxChartSignals, type PlantDescription } from '../../../src-main/common/contract.ts';
import { useChartPins } from './chart-pins.ts';

/** A signal key as a link may carry it: `machine/signal`, ids as the plant file allows them. */
const signalKeyPattern = /^[A-Za-z0-9_.-]{1,64}\/[A-Za-z0-9_.-]{1,64}$/;

/** Reads a link's `pins` ("press-1/temperature,pump-1/pressure"): well-formed keys only, at most as many as a chart panel holds; undefined for none. */
export function parsePinnedKeys(value: string | null): string[] | undefined {
  if (value === null) return undefined;
  const keys = [...new Set(value.split(',').filter((key) => signalKeyPattern.test(key)))].slice(0, maxChartSignals);
  return keys.length === 0 ? undefined : keys;
}

/** The pinned signals as keys, for the view's link; none when nothing is pinned. */
export function pinnedKeysOf(description: PlantDescription): string[] {
  return useChartPins
    .getState()
    .pinned.map((signal) => description.signalKeys[signal])
    .filter((key): key is string => key !== undefined);
}

/** Pins the signals a link names that this plant has; returns the keys it does not have. */
export function pinSignalKeys(keys: readonly string[], description: PlantDescription): string[] {
  const pinned: number[] = [];
  const missing: string[] = [];
  for (const key of keys) {
    const signal = description.signalKeys.indexOf(key);
    if (signal >= 0) pinned.push(signal);
    else missing.push(key);
  }
  if (pinned.length > 0) useChartPins.setState({ pinned });
  return missing;
}
