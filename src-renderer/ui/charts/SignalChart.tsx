import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './charts.css';
import type { ChartSeries, PlantDescription, TimelineOverview } from '../../../src-main/common/contract.ts';
import type { Limits, Signal } from '../../../src-main/common/plant-schema.ts';
import { currentHost } from '../../host-link.ts';
import { useClock } from '../../state/clock-setting.ts';
import { reportProblem, useViewStore } from '../../state/view-store.ts';
import { hostNow, type FrameBuffer } from '../../telemetry/frame-buffer.ts';
import { formatMoment, formatValue, type Clock } from '../format.ts';
import { alarmPeriods, chartColumns, valueRange, type ChartColumns } from './chart-data.ts';
import { useChartPins } from './chart-pins.ts';
import { LiveSamples } from './live-samples.ts';
import { useForecasts } from '../forecast/forecast-store.ts';
import { drawProjection } from './draw-projection.ts';
import { chartProjection, rangeWithProjection, type ChartProjection } from './chart-projection.ts';

/** How often a chart redraws: telemetry is appended as frames arrive, drawn at most this often. */
const redrawMs = 250;
/** How often the recorded part of a chart (and its alarm periods) is read again. */
const refreshMs = 3000;
/** Live samples kept per chart: an hour at 10 samples a second. */
const liveCapacity = 36_000;
/** A drag narrower than this many pixels zooms nothing. */
const minimumZoomPixels = 4;

/** What a chart shows and how, for automated checks and support: the chart element's `twinlineChart`. */
export interface ChartProbe {
  signal: number;
  /** `live`: a rolling window growing with each frame; `recorded`: a fixed range from the recording. */
  shown: 'live' | 'recorded';
  range(): { from: number; to: number };
  columns(): ChartColumns;
  limits: Limits | undefined;
  /** Where a value is drawn, in CSS pixels from the plot's top. */
  yOf(value: number): number;
  /** The player time the last draw put its line at (ms), or null when none was drawn. */
  playerTime(): number | null;
  alarmPeriods(): Array<{ start: number; end: number }>;
  /** The x range drawn: `range()`, stretched to a predicted crossing (not when zoomed). */
  shownRange(): { from: number; to: number };
  /** The forecast's projected line the last draw put on the plot, or null when none was drawn. */
  projection(): ChartProjection | null;
}

/** A signal of the plant by its index in the signal order, with its machine. */
export function signalOf(description: PlantDescription, signal: number): { machine: number; spec: Signal; label: string } | undefined {
  const machine = description.signalMachine[signal];
  if (machine === undefined) return undefined;
  const machineSpec = description.plant.machines[machine]!;
  const spec = machineSpec.signals[signal - description.signalMachine.indexOf(machine)];
  if (!spec) return undefined;
  return { machine, spec, label: `${machineSpec.name} · ${spec.name ?? spec.id}${spec.unit ? ` (${spec.unit})` : ''}` };
}

/**
 * One signal's chart (uPlot): live, a rolling window of the frames as they arrive (after what the
 * recording holds of the window); in replay, or zoomed, the timeline's stretch from the recording's
 * min/max buckets, one a pixel. Limit bands, its machine's alarm periods, the player's time and a
 * cursor reading value and time on the chosen clock are drawn; dragging zooms.
 */
export function SignalChart({ description, buffer, signal, height = 130 }: { description: PlantDescription; buffer: FrameBuffer; signal: number; height?: number }) {
  const container = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  const [zoom, setZoom] = useState<{ start: number; end: number } | null>(null);
  const mode = useViewStore((state) => state.player?.mode ?? 'live');
  const canReplay = useViewStore((state) => state.player?.capabilities.replay ?? false);
  // Only a replaying chart follows the timeline's stretch: live, the timeline's window moves on with the clock, and the chart rolls by itself.
  const timelineStart = useViewStore((state) => (mode === 'replay' ? state.timelineWindow?.start : undefined));
  const timelineEnd = useViewStore((state) => (mode === 'replay' ? state.timelineWindow?.end : undefined));
  const liveMinutes = useChartPins((state) => state.liveMinutes);
  const clock = useClock();
  const found = signalOf(description, signal);

  useEffect(() => {
    const root = container.current;
    if (!root || !found) return;
    const limits = found.spec.limits;
    const fixed = zoom ?? (mode === 'replay' && timelineStart !== undefined && timelineEnd !== undefined ? { start: timelineStart, end: timelineEnd } : null);
    const live = fixed ? undefined : new LiveSamples(liveCapacity);
    const windowMs = liveMinutes * 60_000;
    let recorded: ChartSeries | undefined;
    let overview: TimelineOverview | undefined;
    let periods: Array<{ start: number; end: number }> = [];
    let columns: ChartColumns = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];
    let drawnPlayerTime: number | null = null;
    let cancelled = false;
    const now = () => hostNow(buffer.getState(), performance.now());
    const range = () => (fixed ? { from: fixed.start, to: fixed.end } : { from: now() - windowMs, to: now() });
    // The forecast's projected line, taken from the forecast stream when it changes (not per frame).
    let forecast = useForecasts.getState().bySignal.get(signal);
    let projection = chartProjection(forecast);
    let drawnProjection: ChartProjection | null = null;
    // A zoom is the user's own stretch: it is not widened to the crossing.
    const shownRange = () => (zoom ? range() : rangeWithProjection(range(), projection));

    const plot = new uPlot(
      {
        width: Math.max(200, root.clientWidth),
        height,
        legend: { show: false },
        tzDate: (seconds) => (clock === 'utc' ? uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC') : new Date(seconds * 1000)),
        scales: { x: { time: true }, y: { range: () => valueRange(columns, limits) } },
        series: [{}, { label: 'min', stroke: '#7dd3fc', width: 1 }, { label: 'max', stroke: '#7dd3fc', width: 1 }],
        bands: [{ series: [2, 1], fill: 'rgba(125, 211, 252, 0.25)' }],
        axes: [
          {
            stroke: '#9aa4b2',
            grid: { stroke: 'rgba(255,255,255,0.06)' },
            ticks: { stroke: 'rgba(255,255,255,0.1)' },
            // 24-hour times on the chosen clock, as everywhere else in the view.
            values: (_chart, splits) => splits.map((seconds) => timeLabel(seconds * 1000, shownRange(), clock)),
          },
          { stroke: '#9aa4b2', size: 56, grid: { stroke: 'rgba(255,255,255,0.06)' }, ticks: { stroke: 'rgba(255,255,255,0.1)' } },
        ],
        cursor: { drag: { x: true, y: false, setScale: false }, sync: { key: 'twinline-charts' } },
        hooks: {
          draw: [
            (chart) => {
              drawnPlayerTime = drawOverlays(chart, limits, periods, now());
              drawnProjection = drawProjection(chart, projection);
            },
          ],
          setSelect: [
            (chart) => {
              if (chart.select.width >= minimumZoomPixels) {
                const start = chart.posToVal(chart.select.left, 'x') * 1000;
                const end = chart.posToVal(chart.select.left + chart.select.width, 'x') * 1000;
                setZoom({ start: Math.floor(start), end: Math.ceil(end) });
              }
              chart.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            },
          ],
          setCursor: [(chart) => showReadout(readout.current, chart, clock)],
        },
      },
      [columns[0], columns[1], columns[2]] as unknown as uPlot.AlignedData,
      root,
    );

    const draw = () => {
      const { from, to } = shownRange();
      columns = chartColumns(recorded, live, from);
      plot.batch(() => {
        plot.setData(columns as unknown as uPlot.AlignedData, false);
        plot.setScale('x', { min: from / 1000, max: to / 1000 });
      });
    };

    const load = () => {
      const host = currentHost();
      if (!host || !canReplay) return;
      const { from, to } = range();
      const buckets = Math.max(1, Math.min(4000, Math.round(plot.bbox.width / devicePixelRatio) || 400));
      Promise.all([
        host.request('getChart', { signals: [signal], from: Math.floor(from), to: Math.ceil(to), buckets }),
        host.request('getTimeline', { from: Math.floor(from), to: Math.ceil(to), buckets: Math.min(400, buckets), machine: found.machine }),
      ])
        .then(([charts, timeline]) => {
          if (cancelled) return;
          recorded = charts[0];
          overview = timeline;
          periods = alarmPeriods(overview);
          draw();
        })
        .catch((error: unknown) => {
          // Nothing recorded yet is no problem for a live chart: it fills from the frames.
          if (!cancelled && fixed) reportProblem(`Chart of ${found.label}: ${error instanceof Error ? error.message : String(error)}`);
        });
    };

    const unsubscribe = live
      ? buffer.subscribe((state) => {
          const time = state.sampleTimes[signal];
          if (time !== undefined && time > 0) live.append(time, state.values[signal]!);
        })
      : undefined;
    const unsubscribeForecast = useForecasts.subscribe((state) => {
      const next = state.bySignal.get(signal);
      if (next === forecast) return;
      try {
        forecast = next;
        projection = chartProjection(next);
        draw();
      } catch (error) {
        reportProblem(`Chart of ${found.label}: drawing the forecast failed (${error instanceof Error ? error.message : String(error)})`);
      }
    });
    const redraw = setInterval(() => {
      try {
        if (live) draw();
        else plot.redraw(false, false);
      } catch (error) {
        reportProblem(`Chart of ${found.label}: drawing failed (${error instanceof Error ? error.message : String(error)})`);
      }
    }, redrawMs);
    const reload = setInterval(load, refreshMs);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, root.clientWidth), height }));
    resize.observe(root);
    load();
    draw();
    const probe: ChartProbe = {
      signal,
      shown: fixed ? 'recorded' : 'live',
      range,
      columns: () => columns,
      limits,
      yOf: (value) => plot.valToPos(value, 'y'),
      playerTime: () => drawnPlayerTime,
      alarmPeriods: () => periods,
      shownRange,
      projection: () => drawnProjection,
    };
    (root as HTMLDivElement & { twinlineChart?: ChartProbe }).twinlineChart = probe;
    root.dataset.chartShown = probe.shown;
    return () => {
      cancelled = true;
      unsubscribe?.();
      unsubscribeForecast();
      clearInterval(redraw);
      clearInterval(reload);
      resize.disconnect();
      plot.destroy();
    };
    // `found` follows `description` and `signal`.
  }, [description, buffer, signal, height, zoom, mode, canReplay, timelineStart, timelineEnd, liveMinutes, clock]);

  if (!found) return null;
  return (
    <figure className="signal-chart" aria-label={`Chart: ${found.label}`}>
      <figcaption>
        <span className="signal-chart-label">{found.label}</span>
        <span className="signal-chart-readout" ref={readout} aria-live="off" />
        {zoom ? (
          <button type="button" className="signal-chart-reset" title="Show the whole stretch again" onClick={() => setZoom(null)}>
            Reset zoom
          </button>
        ) : null}
      </figcaption>
      <div className="signal-chart-plot" ref={container} data-chart-signal={signal} title="Drag to zoom" />
    </figure>
  );
}

/** A time axis label: "08:15" on the chosen clock, with seconds on a range under ten minutes and the day on one over a day and a half. */
function timeLabel(time: number, { from, to }: { from: number; to: number }, clock: Clock): string {
  const moment = formatMoment(time, clock);
  const span = to - from;
  if (span < 10 * 60_000) return moment.slice(11, 19);
  if (span > 36 * 3_600_000) return `${moment.slice(5, 10)} ${moment.slice(11, 16)}`;
  return moment.slice(11, 16);
}

/** Writes the value and time under the cursor into the readout, without React: it moves with the pointer. */
function showReadout(element: HTMLSpanElement | null, chart: uPlot, clock: Clock): void {
  if (!element) return;
  const index = chart.cursor.idx;
  const time = index === null || index === undefined ? undefined : chart.data[0][index];
  if (time === undefined || index === null || index === undefined) {
    element.textContent = '';
    return;
  }
  const low = chart.data[1]?.[index];
  const high = chart.data[2]?.[index];
  const value = low === high || low === null || low === undefined || high === null || high === undefined ? formatValue(Number(high ?? low)) : `${formatValue(low)} – ${formatValue(high)}`;
  element.textContent = `${value} at ${formatMoment(time * 1000, clock)}`;
}

const bandColours = { warn: 'rgba(245, 158, 11, 0.10)', alarm: 'rgba(239, 68, 68, 0.12)' } as const;
const lineColours = { warn: '#f59e0b', alarm: '#ef4444' } as const;

/** Draws the limit bands and lines, the alarm periods and the player's time over the plot; returns the time the player line is at. */
function drawOverlays(chart: uPlot, limits: Limits | undefined, periods: Array<{ start: number; end: number }>, playerTime: number): number | null {
  const context = chart.ctx;
  const { left, top, width, height } = chart.bbox;
  const yOf = (value: number) => Math.min(top + height, Math.max(top, chart.valToPos(value, 'y', true)));
  context.save();
  context.beginPath();
  context.rect(left, top, width, height);
  context.clip();
  // Bands: beyond a warning limit amber, beyond an alarm limit red.
  const fillBetween = (from: number, to: number, colour: string) => {
    context.fillStyle = colour;
    context.fillRect(left, Math.min(from, to), width, Math.abs(to - from));
  };
  if (limits?.highWarn !== undefined) fillBetween(yOf(limits.highWarn), limits.highAlarm !== undefined ? yOf(limits.highAlarm) : top, bandColours.warn);
  if (limits?.highAlarm !== undefined) fillBetween(yOf(limits.highAlarm), top, bandColours.alarm);
  if (limits?.lowWarn !== undefined) fillBetween(yOf(limits.lowWarn), limits.lowAlarm !== undefined ? yOf(limits.lowAlarm) : top + height, bandColours.warn);
  if (limits?.lowAlarm !== undefined) fillBetween(yOf(limits.lowAlarm), top + height, bandColours.alarm);
  context.fillStyle = 'rgba(239, 68, 68, 0.16)';
  for (const period of periods) {
    const start = chart.valToPos(period.start / 1000, 'x', true);
    const end = chart.valToPos(period.end / 1000, 'x', true);
    context.fillRect(start, top, Math.max(1, end - start), height);
  }
  context.lineWidth = devicePixelRatio;
  context.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
  for (const [kind, value] of [
    ['alarm', limits?.lowAlarm],
    ['warn', limits?.lowWarn],
    ['warn', limits?.highWarn],
    ['alarm', limits?.highAlarm],
  ] as const) {
    if (value === undefined) continue;
    context.strokeStyle = lineColours[kind];
    context.beginPath();
    context.moveTo(left, chart.valToPos(value, 'y', true));
    context.lineTo(left + width, chart.valToPos(value, 'y', true));
    context.stroke();
  }
  context.setLineDash([]);
  let drawn: number | null = null;
  const { min, max } = chart.scales.x ?? {};
  if (min !== undefined && max !== undefined && playerTime / 1000 >= min && playerTime / 1000 <= max) {
    const x = chart.valToPos(playerTime / 1000, 'x', true);
    context.strokeStyle = '#e5e7eb';
    context.lineWidth = 1.5 * devicePixelRatio;
    context.beginPath();
    context.moveTo(x, top);
    context.lineTo(x, top + height);
    context.stroke();
    drawn = playerTime;
  }
  context.restore();
  return drawn;
}
