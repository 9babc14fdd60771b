/**
 * A 24-hour chart of one signal from a large recording, query plus draw (issue 11's target: ≤ 50 ms).
 * The recording: 24 hours of 10 signals at one sample a second each (864,000 samples), written with
 * the Recorder as the host writes. The query goes the real host path of an opened recording: a view's
 * `getChart` request through the contract (HostClient → serveView → ViewPlayer → its replay worker →
 * the recording's rollups), 800 buckets as an 800-pixel chart asks. The draw: that answer handed to
 * Chromium and drawn with uPlot into an 800×200 chart, as the view draws it (min/max band, a new chart each time).
 *
 * Run alone: `node bench/chart.ts`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { ChartSeries } from '../src-main/common/contract.ts';
import { HostClient } from '../src-main/common/host-client.ts';
import { serveView } from '../src-main/common/view-session.ts';
import { endpointPair } from '../src-main/node/endpoint-pair.ts';
import { openRecording } from '../src-main/node/open-recording.ts';
import { writeDayRecording } from './day-recording.ts';
import { printTable } from './print-table.ts';

const signals = 10;
const hourMs = 3_600_000;
const chartWidth = 800;
const warmUps = 5;
const runs = 60;
const uPlotScript = fileURLToPath(new URL('../node_modules/uplot/dist/uPlot.iife.min.js', import.meta.url));

function plantText(): string {
  const lines = ['name: Chart benchmark plant', 'machines:', '  - { id: m, name: M, area: A, line: L, primitive: { shape: box }, signals: ['];
  for (let signal = 0; signal < signals; signal++) lines.push(`      { id: s${signal}, topic: b/s${signal}, limits: { highWarn: 80, highAlarm: 90 } },`);
  lines.push('    ] }');
  return `${lines.join('\n')}\n`;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

/** Runs the benchmark and prints its table. */
export async function runChartBenchmark(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'twinline-bench-chart-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const end = Date.UTC(2026, 10, 26, 0, 0, 0);
    const recording = writeDayRecording({ directory: folder, plantText: plantText(), plantFileName: 'plant.yaml', end, durationMs: 24 * hourMs, signalPeriodMs: 1000, commitEveryMs: 1000 });
    const opened = await openRecording(recording.file, () => undefined);
    const [hostSide, viewSide] = endpointPair();
    const source = opened.createViewSource();
    const stopServing = serveView(hostSide, source, (problem) => console.error(`chart benchmark: ${problem}`));
    const client = new HostClient(viewSide);
    const page = await browser.newPage({ viewport: { width: 1000, height: 400 } });
    await page.setContent('<!doctype html><div id="chart" style="width: 800px"></div>');
    await page.addScriptTag({ path: uPlotScript });

    const queryMs: number[] = [];
    const drawMs: number[] = [];
    const totalMs: number[] = [];
    let points = 0;
    let resolution = 0;
    for (let run = 0; run < warmUps + runs; run++) {
      const signal = run % signals;
      const started = performance.now();
      const [series] = (await client.request('getChart', { signals: [signal], from: recording.start, to: recording.end, buckets: chartWidth })) as ChartSeries[];
      const queried = performance.now();
      // Drawn in the page: columns made, a chart built and drawn (uPlot draws at once), measured there.
      const drawn = await page.evaluate((chart) => {
        type UPlot = new (options: unknown, data: unknown, target: HTMLElement) => { destroy(): void };
        const UPlotClass = (window as unknown as { uPlot: UPlot }).uPlot;
        const before = performance.now();
        const x = new Float64Array(chart.time.length);
        for (let index = 0; index < x.length; index++) x[index] = (chart.time[index]! + chart.bucketMs / 2) / 1000;
        const plot = new UPlotClass(
          {
            width: 800,
            height: 200,
            legend: { show: false },
            scales: { x: { time: true } },
            series: [{}, { stroke: '#7dd3fc' }, { stroke: '#7dd3fc' }],
            bands: [{ series: [2, 1], fill: 'rgba(125, 211, 252, 0.25)' }],
          },
          [x, Float64Array.from(chart.min), Float64Array.from(chart.max)],
          document.getElementById('chart')!,
        );
        const took = performance.now() - before;
        plot.destroy();
        return took;
      }, series!);
      if (run < warmUps) continue;
      queryMs.push(queried - started);
      // The round trip into the page is the benchmark's, not the view's: the draw counts as the page measured it.
      drawMs.push(drawn);
      totalMs.push(queried - started + drawn);
      points = series!.time.length;
      resolution = series!.resolution;
    }
    stopServing();
    (source as { dispose?: () => void }).dispose?.();
    opened.close();
    const [one] = loadavg();
    printTable(
      'Chart: 24 hours of one signal, query plus draw',
      [{ title: 'measure', align: 'left' }, { title: 'p50 ms' }, { title: 'p95 ms' }, { title: 'target' }],
      [
        ['query (getChart through the contract, replay worker, rollups)', percentile(queryMs, 0.5).toFixed(2), percentile(queryMs, 0.95).toFixed(2), ''],
        ['draw (uPlot in Chromium, 800×200)', percentile(drawMs, 0.5).toFixed(2), percentile(drawMs, 0.95).toFixed(2), ''],
        ['query + draw', percentile(totalMs, 0.5).toFixed(2), percentile(totalMs, 0.95).toFixed(2), '≤ 50'],
      ],
      [
        `${signals} signals at 1 sample/s for 24 h (${recording.samples.toLocaleString('en')} samples, written in ${recording.seconds.toFixed(1)} s); ${runs} charts after ${warmUps} warm-up ones, each over the whole day at ${chartWidth} buckets: ${points} buckets drawn from ${resolution / 1000} s rollups. The file was just written, so it is in the OS page cache.`,
        `CPU: ${availableParallelism()} cores, ${cpus()[0]?.model.trim() ?? 'unknown model'}; load average ${one!.toFixed(2)} at the end.`,
      ],
    );
  } finally {
    await browser.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runChartBenchmark();
  process.exit(0);
}
