/**
 * Alarm evaluation: how many signal evaluations per second the alarm engine takes (issue 11's target
 * is at least 1 M/s), for a 2,000-machine plant of 10,000 signals with all four limits each. One
 * evaluation is what the host does for a signal in a frame: its health and value into the engine.
 * Two workloads: steady (every value inside its limits: nothing changes, nothing is allocated) and
 * churning (one evaluation in 1,000 crosses a limit or returns, so alarms are raised and cleared
 * with their records built, and the flood indicator works).
 *
 * Run alone: `node bench/alarm-engine.ts`
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { AlarmEngine } from '../src-main/common/alarms/alarm-engine.ts';
import { Health } from '../src-main/common/health.ts';
import { parsePlantOrThrow } from '../src-main/common/parse-plant.ts';
import { seededRandom } from '../src-main/common/seeded-random.ts';
import { printTable } from './print-table.ts';

const machines = 2000;
const signalsPerMachine = 5;
/** Evaluations prepared up front, replayed in a loop: the benchmark measures the engine, not the workload's making. */
const preparedEvaluations = 1_000_000;
const secondsPerRun = 2;
const runs = 3;

function benchmarkPlantText(): string {
  const lines = ['name: Alarm benchmark plant', 'machines:'];
  for (let machine = 0; machine < machines; machine++) {
    lines.push(`  - { id: m${machine}, name: M${machine}, area: A, line: L, primitive: { shape: box }, signals: [`);
    const signals = [];
    for (let signal = 0; signal < signalsPerMachine; signal++) {
      signals.push(`{ id: s${signal}, topic: b/m${machine}/s${signal}, limits: { lowAlarm: 5, lowWarn: 10, highWarn: 80, highAlarm: 90 } }`);
    }
    lines.push(`      ${signals.join(', ')}] }`);
  }
  return `${lines.join('\n')}\n`;
}

/** A workload: signal, health and value per evaluation, a frame (all signals) at a time. */
function workload(changeEvery: number): { signal: Int32Array; health: Uint8Array; value: Float64Array } {
  const random = seededRandom(11);
  const signalCount = machines * signalsPerMachine;
  const signal = new Int32Array(preparedEvaluations);
  const health = new Uint8Array(preparedEvaluations);
  const value = new Float64Array(preparedEvaluations);
  const crossed = new Uint8Array(signalCount);
  for (let index = 0; index < preparedEvaluations; index++) {
    const which = index % signalCount;
    signal[index] = which;
    if (changeEvery > 0 && random() * changeEvery < 1) crossed[which] = crossed[which] === 1 ? 0 : 1;
    health[index] = crossed[which] === 1 ? (random() < 0.5 ? Health.warn : Health.alarm) : Health.ok;
    value[index] = crossed[which] === 1 ? (random() < 0.5 ? 2 : 95) : 20 + random() * 50;
  }
  return { signal, health, value };
}

/** Evaluations per second of one run: the prepared workload, over and over, for `secondsPerRun`. */
function measure(engine: AlarmEngine, work: ReturnType<typeof workload>, startTime: number): number {
  const { signal, health, value } = work;
  const signalCount = machines * signalsPerMachine;
  let evaluations = 0;
  let time = startTime;
  const started = performance.now();
  const deadline = started + secondsPerRun * 1000;
  while (performance.now() < deadline) {
    for (let index = 0; index < preparedEvaluations; index++) {
      // A new frame every signal count: time moves on 33 ms, as frames are cut live.
      if (index % signalCount === 0) {
        time += 33;
        engine.tick(time);
        engine.takeTransitions();
      }
      engine.evaluate(signal[index]!, health[index]!, value[index]!, time);
    }
    evaluations += preparedEvaluations;
  }
  return evaluations / ((performance.now() - started) / 1000);
}

/** Runs the alarm evaluation benchmark and prints its table. */
export async function runAlarmEngineBenchmark(): Promise<void> {
  const plant = parsePlantOrThrow(benchmarkPlantText());
  const rows: Array<Array<string | number>> = [];
  for (const [name, changeEvery] of [
    ['steady (all within limits)', 0],
    ['churning (1 in 1,000 crosses or returns)', 1000],
  ] as const) {
    const work = workload(changeEvery);
    const engine = new AlarmEngine(plant);
    // A warm-up run lets the JIT settle; its figure is not kept.
    measure(engine, work, 1.7e12);
    const rates = Array.from({ length: runs }, (_, run) => measure(engine, work, 1.7e12 + (run + 1) * 1e8));
    rates.sort((a, b) => a - b);
    rows.push([name, Math.round(rates[Math.floor(runs / 2)]! / 1000) / 1000, Math.round(rates[0]! / 1000) / 1000, engine.snapshot(0).alarms.length]);
  }
  const [one] = loadavg();
  printTable(
    `Alarm evaluation (${machines.toLocaleString('en')} machines × ${signalsPerMachine} signals, four limits each)`,
    [{ title: 'workload', align: 'left' }, { title: 'M evaluations/s (median of 3)' }, { title: 'slowest run' }, { title: 'alarms not normal at the end' }],
    rows,
    [`CPU: ${availableParallelism()} cores, ${cpus()[0]?.model.trim() ?? 'unknown model'}; load average ${one!.toFixed(2)} at the end; target ≥ 1 M evaluations/s`],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await runAlarmEngineBenchmark();
