/**
 * Writes a large plant for scene measurements: the demo steel mill copied N times side by side, each
 * copy's machines and topics renamed so every machine and signal is its own. Signals become plain
 * JSON topics on one broker (`scene/COPY-MACHINE/SIGNAL`), so `--broker URL` and `--simulate` feed all
 * of them. Usage: `node bench/scene-plant.ts COPIES OUT.yaml` (models stay in the repo's models folder).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
/** Metres left between copies, so one copy's area plates never touch the next one's. */
const gap = 24;

interface PlantData {
  name: string;
  modelsDirectory?: string;
  brokers?: unknown;
  machines: Array<{ id: string; name: string; area: string; position: [number, number, number]; signals?: Array<Record<string, unknown>>; animations?: unknown[] }>;
}

/** The demo plant copied `copies` times on a square grid; `modelsDirectory` is relative to where the file will be written. */
export function scenePlant(copies: number, modelsDirectory: string): PlantData {
  if (!Number.isInteger(copies) || copies < 1 || copies > 10_000) throw new Error(`copies must be a whole number from 1 to 10,000, not ${copies}`);
  const demo = parse(readFileSync(resolve(projectRoot, 'assets/demo-plant.yaml'), 'utf8')) as PlantData;
  const xs = demo.machines.map((machine) => machine.position[0]);
  const zs = demo.machines.map((machine) => machine.position[2]);
  const width = Math.max(...xs) - Math.min(...xs) + gap;
  const depth = Math.max(...zs) - Math.min(...zs) + gap;
  const columns = Math.ceil(Math.sqrt(copies));
  const machines: PlantData['machines'] = [];
  for (let copy = 0; copy < copies; copy++) {
    const dx = (copy % columns) * width;
    const dz = Math.floor(copy / columns) * depth;
    const prefix = copies === 1 ? '' : `c${copy + 1}-`;
    for (const machine of demo.machines) {
      const id = `${prefix}${machine.id}`;
      machines.push({
        ...machine,
        id,
        name: copies === 1 ? machine.name : `${machine.name} (copy ${copy + 1})`,
        area: copies === 1 ? machine.area : `${machine.area} ${copy + 1}`,
        position: [machine.position[0] + dx, machine.position[1], machine.position[2] + dz],
        signals: machine.signals?.map(({ broker: _broker, sparkplug: _sparkplug, topic: _topic, path: _path, ...signal }) => ({ ...signal, topic: `scene/${id}/${String(signal.id)}` })),
      });
    }
  }
  return { name: `Demo steel mill × ${copies}`, modelsDirectory, machines };
}

/** Writes the plant file for `copies` copies of the demo to `file`, with its models folder pointing at the repo's models. */
export function writeScenePlant(copies: number, file: string): string {
  const target = resolve(file);
  const modelsDirectory = relative(dirname(target), resolve(projectRoot, 'models')) || '.';
  const { machines, ...plant } = scenePlant(copies, modelsDirectory);
  // JSON is YAML too, and a machine a line keeps 10,000 machines under the plant file's size limit.
  const head = JSON.stringify(plant).slice(0, -1);
  writeFileSync(target, `${head},"machines":[\n${machines.map((machine) => JSON.stringify(machine)).join(',\n')}\n]}\n`);
  return target;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [copies, file] = process.argv.slice(2);
  if (!copies || !file) {
    console.error('Usage: node bench/scene-plant.ts COPIES OUT.yaml');
    process.exit(2);
  }
  console.log(`wrote ${writeScenePlant(Number(copies), file)}`);
}
