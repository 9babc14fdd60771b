/**
 * Forecasts: what the host's once-a-second forecast pass costs the ingest loop, for a 2,000-machine
 * plant of 10,000 signals that all trend toward a limit (the worst case: every window significant, so
 * every one is fitted). The real `ForecastService` runs on this process's loop with a clock of its own:
 * each pass evaluates one simulated second, then the next second's samples (one per signal) are fed.
 * Every slice the service gives the forecaster is timed: the longest is the longest the loop was held.
 * Beside it, one pass fitting every signal in one piece, as the host did every second before it fitted
 * a window only when it moved and cut passes into slices.
 *
 * Run alone: `node bench/forecast.ts`
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ForecastSnapshot, SignalForecast } from '../src-main/common/forecast/forecast-record.ts';
import { PlantForecaster } from '../src-main/common/forecast/plant-forecaster.ts';
import type { TheilSen } from '../src-main/common/forecast/theil-sen.ts';
import { parsePlantOrThrow } from '../src-main/common/parse-plant.ts';
import { seededRandom } from '../src-main/common/seeded-random.ts';
import { ForecastService } from '../src-main/node/forecast/forecast-service.ts';
import { printTable } from './print-table.ts';

const machines = 2000;
const signalsPerMachine = 5;
const signalCount = machines * signalsPerMachine;
/** The default window (10 min, buckets of 9.4 s): filled before measuring. */
const windowSeconds = 600;
const measuredSeconds = 120;
const start = 1_800_000_000_000;

function benchmarkPlantText(): string {
  const lines = ['name: Forecast benchmark plant', 'forecast: { horizon: 30 min, window: 10 min }', 'machines:'];
  for (let machine = 0; machine < machines; machine++) {
    const signals = Array.from({ length: signalsPerMachine }, (_, signal) => `{ id: s${signal}, topic: b/m${machine}/s${signal}, limits: { highWarn: 1000, highAlarm: 2000 } }`);
    lines.push(`  - { id: m${machine}, name: M${machine}, area: A, line: L, primitive: { shape: box }, signals: [${signals.join(', ')}] }`);
  }
  return `${lines.join('\n')}\n`;
}

/** Feeds one sample per signal for simulated second `second`: rising at a rate of each signal's own, with noise. */
function feedSecond(add: (signal: number, value: number, time: number) => void, second: number, random: () => number): void {
  const time = start + second * 1000;
  for (let signal = 0; signal < signalCount; signal++) add(signal, 50 + second * 0.02 * (1 + (signal % 7)) + (random() - 0.5) * 4, time);
}

interface PassFigures {
  fits: number;
  slices: number;
  /** Sum of the slices: the pass's time on the loop. */
  busyMs: number;
  longestSliceMs: number;
  forecasts: number;
}

/** The middle value. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs the forecast benchmark and prints its table. */
export async function runForecastBenchmark(): Promise<void> {
  const plant = parsePlantOrThrow(benchmarkPlantText());
  const random = seededRandom(5);
  let second = 0;
  const service = new ForecastService({ plant, intervalMs: 1, clock: () => start + second * 1000 });
  // The service's own forecaster and its fitter, reached past `private` so that each slice and fit is counted where it runs.
  const forecaster = (service as unknown as { forecaster: PlantForecaster }).forecaster;
  const fitter = (forecaster as unknown as { fitter: TheilSen }).fitter;
  let pass: PassFigures = { fits: 0, slices: 0, busyMs: 0, longestSliceMs: 0, forecasts: 0 };
  const evaluateSome = forecaster.evaluateSome.bind(forecaster);
  forecaster.evaluateSome = (now: number, into: SignalForecast[], first: number, enough: () => boolean) => {
    const sliceStart = performance.now();
    const next = evaluateSome(now, into, first, enough);
    const sliceMs = performance.now() - sliceStart;
    pass.slices++;
    pass.busyMs += sliceMs;
    pass.longestSliceMs = Math.max(pass.longestSliceMs, sliceMs);
    return next;
  };
  const kendallZ = fitter.kendallZ.bind(fitter);
  fitter.kendallZ = (times, values, count) => {
    pass.fits++;
    return kendallZ(times, values, count);
  };

  // Fill the windows, unmeasured; the first pass fits every signal and warms the code.
  for (; second <= windowSeconds; second++) feedSecond((signal, value, time) => service.onSample(signal, value, time), second, random);
  second = windowSeconds;
  const passes: PassFigures[] = [];
  // The service's timer does not hold the process open (a host's other work does): this stands in for it.
  const keepAlive = setInterval(() => undefined, 1000);
  await new Promise<void>((resolve) => {
    let warmed = false;
    service.subscribe((snapshot: ForecastSnapshot) => {
      pass.forecasts = snapshot.forecasts.length;
      if (warmed) passes.push(pass);
      warmed = true;
      pass = { fits: 0, slices: 0, busyMs: 0, longestSliceMs: 0, forecasts: 0 };
      if (passes.length >= measuredSeconds) return resolve();
      second++;
      feedSecond((signal, value, time) => service.onSample(signal, value, time), second, random);
    });
  });
  service.stop();
  clearInterval(keepAlive);

  // The code before: every signal fitted in one piece, each second. A second forecaster fed the same
  // window; its first evaluation fits all of it.
  const atOnce = new PlantForecaster(plant);
  const replayRandom = seededRandom(5);
  for (let fed = 0; fed <= second; fed++) feedSecond((signal, value, time) => atOnce.add(signal, value, time), fed, replayRandom);
  const onceStart = performance.now();
  const whole = atOnce.evaluate(start + second * 1000);
  const onceMs = performance.now() - onceStart;

  const moved = passes.filter((figures) => figures.fits > 0);
  const still = passes.filter((figures) => figures.fits === 0);
  const row = (name: string, group: PassFigures[]) => [
    name,
    group.length,
    Math.round(median(group.map((figures) => figures.fits))),
    Math.round(median(group.map((figures) => figures.slices))),
    median(group.map((figures) => figures.busyMs)),
    Math.max(...group.map((figures) => figures.longestSliceMs)),
    median(group.map((figures) => figures.forecasts)),
  ];
  const totalBusyMs = passes.reduce((sum, figures) => sum + figures.busyMs, 0);
  const [one] = loadavg();
  printTable(
    `Forecasts (${signalCount.toLocaleString('en')} signals, all trending, 10 min windows): the host's pass each second`,
    [{ title: 'pass', align: 'left' }, { title: 'passes' }, { title: 'signals fitted (median)' }, { title: 'slices (median)' }, { title: 'ms on the loop per pass (median)' }, { title: 'longest slice ms' }, { title: 'forecasts' }],
    [
      row('windows moved on (every 9.4 s): fitted again, in slices', moved),
      row('no window moved: fits reused', still),
      ['every signal fitted in one piece (what the host did each second before)', 1, signalCount, 1, onceMs, onceMs, whole.forecasts.length],
    ],
    [
      `Over ${measuredSeconds} simulated seconds the passes held the loop ${(totalBusyMs / measuredSeconds).toFixed(1)} ms a second on average (${((totalBusyMs / measuredSeconds / 1000) * 100).toFixed(2)} % of a core); fitting every signal every second held it ${onceMs.toFixed(0)} ms at a stretch, each second (${((onceMs / 1000) * 100).toFixed(1)} % of a core).`,
      `CPU: ${availableParallelism()} cores, ${cpus()[0]?.model.trim() ?? 'unknown model'}; load average ${one!.toFixed(2)} at the end.`,
    ],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await runForecastBenchmark();
