/**
 * Plants of any size built from the demo's machines and models, for the scene benchmark: the demo
 * steel mill copied hall after hall on a grid until the plant has the number of machines asked for.
 * Every signal is a plain JSON topic on one broker, named as the benchmark publisher names them
 * (`benchTopic`), so one publisher feeds the whole plant.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { benchTopic } from './publisher-process.ts';

const projectRoot = join(import.meta.dirname, '..');

/** Each generated machine has exactly this many signals (the demo's busiest machines have four), so the publisher's topics all exist. */
export const scenePlantSignalsPerMachine = 4;

/** Distance between copies of the demo mill (it spans about 110 m by 45 m), in metres. */
const hallPitch = { x: 130, z: 60 };

interface RawSignal {
  id: string;
  unit?: string;
  period?: number;
  limits?: { lowAlarm?: number; lowWarn?: number; highWarn?: number; highAlarm?: number; deadband?: number; onDelay?: number };
  [field: string]: unknown;
}

interface RawMachine {
  id: string;
  name: string;
  area: string;
  line: string;
  position: [number, number, number];
  signals?: RawSignal[];
  [field: string]: unknown;
}

/**
 * The plant file text of `machineCount` machines: copies of the demo's machines, each copy a hall of
 * its own (areas named "Melt shop 2", "Melt shop 3" …) on a roughly square grid. The publisher's
 * payload is its publish time in milliseconds; each signal's `scale` maps that to the middle of its
 * normal range, so every machine stays healthy and its animated parts stay in place while values change.
 */
export function scenePlantText(machineCount: number, modelsDirectory: string, now = Date.now()): string {
  const demo = parse(readFileSync(join(projectRoot, 'assets/demo-plant.yaml'), 'utf8')) as { machines: RawMachine[] };
  const perHall = demo.machines.length;
  const halls = Math.ceil(machineCount / perHall);
  const columns = Math.max(1, Math.ceil(Math.sqrt((halls * hallPitch.z) / hallPitch.x)));
  const machines: unknown[] = [];
  for (let index = 0; index < machineCount; index++) {
    const hall = Math.floor(index / perHall);
    const source = demo.machines[index % perHall]!;
    const suffix = hall === 0 ? '' : ` ${hall + 1}`;
    const [x, y, z] = source.position;
    const signals = (source.signals ?? []).map((signal, signalIndex) => benchSignal(signal, index, signalIndex, now));
    while (signals.length < scenePlantSignalsPerMachine) {
      signals.push({ id: `aux-${signals.length}`, topic: benchTopic(index, signals.length), scale: Number((1 / now).toPrecision(4)) });
    }
    machines.push({
      ...source,
      id: hall === 0 ? source.id : `${source.id}-h${hall + 1}`,
      name: `${source.name}${suffix}`,
      area: `${source.area}${suffix}`,
      position: [x + (hall % columns) * hallPitch.x, y, z + Math.floor(hall / columns) * hallPitch.z],
      signals,
    });
  }
  // JSON is YAML too, and keeps a 10,000-machine plant well under the plant file's 8 MiB limit.
  return JSON.stringify({ name: `Scene benchmark, ${machineCount} machines`, modelsDirectory, machines });
}

/** Writes the plant file into `directory` and returns its path. */
export function writeScenePlant(machineCount: number, directory: string): string {
  const file = join(directory, `scene-${machineCount}.yaml`);
  writeFileSync(file, scenePlantText(machineCount, join(projectRoot, 'models')));
  return file;
}

/** One demo signal on the benchmark's topic, its value scaled into the middle of its normal range. */
function benchSignal(signal: RawSignal, machineIndex: number, signalIndex: number, now: number): Record<string, unknown> {
  const { id, unit, period, limits } = signal;
  const low = limits?.lowWarn ?? limits?.lowAlarm;
  const high = limits?.highWarn ?? limits?.highAlarm;
  const normal = low !== undefined && high !== undefined ? (low + high) / 2 : high !== undefined ? high / 2 : low !== undefined ? low * 1.5 : 1;
  // Four digits of scale are plenty, and keep a 10,000-machine plant under the 8 MiB limit.
  return { id, topic: benchTopic(machineIndex, signalIndex), unit, period, limits, scale: Number((normal / now).toPrecision(4)) };
}
