import { useEffect, useState } from 'react';
import type { SignalTrend } from '../../src-main/common/contract.ts';
import type { Limits } from '../../src-main/common/plant-schema.ts';
import { currentHost } from '../host-link.ts';
import { reportRequestProblem, useViewStore } from '../state/view-store.ts';

const width = 100;
const height = 26;
const refreshMs = 2000;

/**
 * The recorded trends of a machine's signals over the timeline's visible stretch, fetched when the
 * machine changes and every two seconds after (from rollups: a day costs what a minute does).
 */
export function useTrends(machine: number | null): Map<number, SignalTrend> {
  const [trends, setTrends] = useState(new Map<number, SignalTrend>());
  useEffect(() => {
    let cancelled = false;
    setTrends(new Map());
    const load = () => {
      const { timelineWindow, player } = useViewStore.getState();
      if (machine === null || !timelineWindow || !player?.capabilities.replay) return;
      currentHost()
        ?.request('getTrends', { machine, from: Math.floor(timelineWindow.start), to: Math.ceil(timelineWindow.end), points: width })
        .then((result) => !cancelled && setTrends(new Map(result.map((trend) => [trend.signal, trend]))))
        .catch((error: unknown) => reportRequestProblem('Trends', error));
    };
    load();
    const timer = setInterval(load, refreshMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [machine]);
  return trends;
}

/** A signal's trend as a small chart: the band between its lowest and highest values, its last values as a line, and the limits it comes near. */
export function Trend({ trend, limits, from, to }: { trend: SignalTrend | undefined; limits: Limits | undefined; from: number; to: number }) {
  if (!trend || trend.time.length === 0) return <svg className="trend" width={width} height={height} aria-label="No recorded trend" />;
  let low = Math.min(...trend.min);
  let high = Math.max(...trend.max);
  if (high - low < 1e-9) {
    low -= 1;
    high += 1;
  }
  const span = Math.max(1, to - from);
  const x = (time: number) => (((time + trend.resolution / 2 - from) / span) * width).toFixed(1);
  const y = (value: number) => (height - 2 - ((value - low) / (high - low)) * (height - 4)).toFixed(1);
  const band = [...trend.time.map((time, index) => `${x(time)},${y(trend.max[index]!)}`), ...trend.time.map((time, index) => `${x(time)},${y(trend.min[index]!)}`).reverse()].join(' ');
  const line = trend.time.map((time, index) => `${x(time)},${y(trend.last[index]!)}`).join(' ');
  const limitLines = (
    [
      ['alarm', limits?.lowAlarm],
      ['warn', limits?.lowWarn],
      ['warn', limits?.highWarn],
      ['alarm', limits?.highAlarm],
    ] as const
  ).filter((entry): entry is readonly ['alarm' | 'warn', number] => entry[1] !== undefined && entry[1] >= low && entry[1] <= high);
  return (
    <svg className="trend" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-label={`Trend from ${formatNumber(low)} to ${formatNumber(high)}`}>
      {limitLines.map(([kind, limit]) => (
        <line key={`${kind}-${limit}`} className={`trend-limit trend-${kind}`} x1={0} x2={width} y1={y(limit)} y2={y(limit)} />
      ))}
      <polygon className="trend-band" points={band} />
      <polyline className="trend-line" points={line} />
    </svg>
  );
}

function formatNumber(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
