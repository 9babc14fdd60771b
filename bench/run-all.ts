/**
 * Every benchmark in sequence (`npm run bench`), or the ones named (`npm run bench -- recording`):
 * ingest throughput and latency end to end, the renderer's per-frame cost, the recording, and the
 * host's isolation of live from replaying views, the 3D scene in Chromium, alarm evaluation, the forecast pass, the topic explorer's cost to live latency, and a 24-hour chart's query plus draw. TWINLINE_BENCH_RECORDING and TWINLINE_BENCH_ISOLATION
 * (and TWINLINE_BENCH_SCENE) set to quick make them shorter.
 * Prints Markdown tables ready for the README.
 */
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import { runAlarmEngineBenchmark } from './alarm-engine.ts';
import { brokerLabel } from './brokers.ts';
import { runChartBenchmark } from './chart.ts';
import { runForecastBenchmark } from './forecast.ts';
import { runFrameApply } from './frame-apply.ts';
import { runHostIsolation } from './host-isolation.ts';
import { runIngestThroughput } from './ingest-throughput.ts';
import { runRecordingBenchmark } from './recording.ts';
import { runSceneBenchmark } from './scene.ts';
import { runTopicExplorerBenchmark } from './topic-explorer.ts';

const benchmarks: Record<string, () => Promise<unknown>> = {
  ingest: runIngestThroughput,
  frame: runFrameApply,
  recording: runRecordingBenchmark,
  isolation: runHostIsolation,
  scene: runSceneBenchmark,
  alarms: runAlarmEngineBenchmark,
  forecast: runForecastBenchmark,
  topics: runTopicExplorerBenchmark,
  chart: runChartBenchmark,
};

/** Prints what the numbers depend on: the machine, the runtime and the broker. */
export function printMachineFacts(): void {
  const [one, five] = loadavg();
  console.log('## Twinline benchmarks\n');
  console.log(`- CPU: ${availableParallelism()} cores, ${cpus()[0]?.model.trim() ?? 'unknown model'}`);
  console.log(`- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB; OS: ${type()} ${release()}`);
  console.log(`- Node ${process.version}; broker: ${brokerLabel()}`);
  // Other work on the machine skews everything here; the ingest tables also show it per run.
  console.log(`- Load average at start: ${one!.toFixed(2)} (1 min), ${five!.toFixed(2)} (5 min)`);
  console.log(`- Date: ${new Date().toISOString()}`);
}

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(benchmarks).join(', ')}.`);
  process.exit(2);
}
const started = performance.now();
printMachineFacts();
for (const [name, run] of Object.entries(benchmarks)) {
  if (requested.length === 0 || requested.includes(name)) await run();
}
console.log(`\nAll benchmarks took ${((performance.now() - started) / 1000).toFixed(0)} s.`);
// The ws and MQTT libraries may keep handles a moment longer; nothing is left to wait for.
process.exit(0);
