#!/usr/bin/env node
// Writes assets/demo-plant.yaml: a steel mill from melt shop to bundling, laid out along its material flow.
// The file is committed; this script is how it was made and how to change it consistently.
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Document, isSeq, visit } from 'yaml';
import type { PlantInput } from '../src-main/common/plant-schema.ts';

type MachineInput = PlantInput['machines'][number];
type SignalInput = NonNullable<MachineInput['signals']>[number];

const signal = (machine: string, id: string, unit: string, period: number, limits: SignalInput['limits'], extra: Partial<SignalInput> = {}): SignalInput => ({
  id,
  topic: `demo/${machine}/${id}`,
  unit,
  period,
  limits,
  ...extra,
});

const kinds: Record<string, (id: string) => Pick<MachineInput, 'signals' | 'animations'>> = {
  furnace: (id) => ({
    signals: [
      signal(id, 'temperature', '°C', 0.5, { lowWarn: 1540, highWarn: 1690, highAlarm: 1720, deadband: 5, onDelay: 1 }),
      signal(id, 'power', 'MW', 0.5, { highWarn: 92, highAlarm: 98, deadband: 1 }),
      signal(id, 'electrode-position', 'm', 0.5, undefined),
    ],
    animations: [{ node: 'electrodes', property: 'position.y', signal: 'electrode-position', scale: 1, offset: 0, min: 0, max: 1.2 }],
  }),
  ladle: (id) => ({
    signals: [
      signal(id, 'temperature', '°C', 1, { lowAlarm: 1520, lowWarn: 1545, highWarn: 1650 }),
      signal(id, 'weight', 't', 1, { highWarn: 155, highAlarm: 165 }),
      signal(id, 'car-position', 'm', 0.5, undefined),
    ],
    animations: [{ node: 'car', property: 'position.x', signal: 'car-position', scale: 1, offset: 0, min: -1.5, max: 1.5 }],
  }),
  caster: (id) => ({
    signals: [
      signal(id, 'mould-level', '%', 0.2, { lowAlarm: 60, lowWarn: 70, highWarn: 90, highAlarm: 95, deadband: 1 }),
      signal(id, 'casting-speed', 'm/min', 0.5, { lowWarn: 0.8, highWarn: 1.8, highAlarm: 2.2 }),
      signal(id, 'cooling-flow', 'm³/h', 1, { lowAlarm: 180, lowWarn: 220 }),
    ],
    animations: [{ node: 'strand-rolls', spin: 'z', signal: 'casting-speed', scale: -1.5 }],
  }),
  'roll-stand': (id) => ({
    signals: [
      signal(id, 'speed', 'rpm', 0.2, { highWarn: 520, highAlarm: 600 }),
      signal(id, 'roll-force', 'MN', 0.2, { highWarn: 32, highAlarm: 38, deadband: 0.5 }),
      signal(id, 'vibration', 'mm/s', 0.5, { highWarn: 7.1, highAlarm: 11, deadband: 0.3, onDelay: 1 }),
      signal(id, 'motor-temperature', '°C', 1, { highWarn: 95, highAlarm: 110, deadband: 2 }),
    ],
    animations: [
      { node: 'work-roll-top', spin: 'z', signal: 'speed', scale: -0.02 },
      { node: 'work-roll-bottom', spin: 'z', signal: 'speed', scale: 0.02 },
    ],
  }),
  'cooling-bed': (id) => ({
    signals: [
      signal(id, 'bar-temperature', '°C', 1, { highWarn: 480, highAlarm: 560 }),
      signal(id, 'beam-position', 'm', 0.2, undefined),
    ],
    animations: [{ node: 'walking-beam', property: 'position.x', signal: 'beam-position', scale: 1, offset: 0, min: -0.5, max: 0.5 }],
  }),
  conveyor: (id) => ({
    signals: [
      signal(id, 'speed', 'm/s', 0.5, { lowWarn: 0.5, highWarn: 4.5, highAlarm: 5 }),
      signal(id, 'motor-current', 'A', 1, { highWarn: 180, highAlarm: 210, deadband: 3 }),
    ],
    animations: [{ node: 'drive-drum', spin: 'z', signal: 'speed', scale: -2 }],
  }),
  robot: (id) => ({
    // The robot controller publishes one JSON document; each signal picks its field by path.
    signals: [
      signal(id, 'axis-1', '°', 0.1, undefined, { topic: `demo/${id}/state`, path: 'axes[0]' }),
      signal(id, 'axis-2', '°', 0.1, undefined, { topic: `demo/${id}/state`, path: 'axes[1]' }),
      signal(id, 'motor-temperature', '°C', 0.1, { highWarn: 75, highAlarm: 85 }, { topic: `demo/${id}/state`, path: 'drive.temperature' }),
      signal(id, 'power', 'kW', 0.1, { highWarn: 14, highAlarm: 17 }, { topic: `demo/${id}/state`, path: 'drive.power' }),
    ],
    animations: [
      { node: 'turret', property: 'rotation.y', signal: 'axis-1', scale: Math.PI / 180, offset: 0 },
      { node: 'upper-arm', property: 'rotation.z', signal: 'axis-2', scale: Math.PI / 180, offset: 0, min: -1.2, max: 1.2 },
    ],
  }),
  pump: (id) => ({
    signals: [
      signal(id, 'discharge-pressure', 'bar', 0.5, { lowAlarm: 3, lowWarn: 4, highWarn: 9, highAlarm: 10, deadband: 0.2 }),
      signal(id, 'speed', 'rpm', 0.5, { highWarn: 3100, highAlarm: 3300 }),
      signal(id, 'vibration', 'mm/s', 0.5, { highWarn: 4.5, highAlarm: 7.1, deadband: 0.2, onDelay: 1 }),
    ],
    animations: [{ node: 'coupling', spin: 'x', signal: 'speed', scale: 0.004 }],
  }),
  tank: (id) => ({
    signals: [
      signal(id, 'level', '%', 1, { lowAlarm: 10, lowWarn: 20, highWarn: 85, highAlarm: 95, deadband: 1 }),
      signal(id, 'temperature', '°C', 2, { highWarn: 45, highAlarm: 55 }),
    ],
    animations: [{ node: 'level-indicator', property: 'scale.y', signal: 'level', scale: 0.01, offset: 0, min: 0.01, max: 1 }],
  }),
};

interface Placement {
  id: string;
  name: string;
  kind: keyof typeof kinds;
  area: string;
  line: string;
  position: [number, number, number];
  rotation?: number;
}

const placements: Placement[] = [
  { id: 'eaf-1', name: 'Electric arc furnace 1', kind: 'furnace', area: 'Melt shop', line: 'EAF bay', position: [-46, 0, -9] },
  { id: 'eaf-2', name: 'Electric arc furnace 2', kind: 'furnace', area: 'Melt shop', line: 'EAF bay', position: [-46, 0, 9] },
  { id: 'ladle-1', name: 'Ladle 1', kind: 'ladle', area: 'Melt shop', line: 'Ladle transfer', position: [-36, 0, -9], rotation: 90 },
  { id: 'ladle-2', name: 'Ladle 2', kind: 'ladle', area: 'Melt shop', line: 'Ladle transfer', position: [-36, 0, 0], rotation: 90 },
  { id: 'ladle-3', name: 'Ladle 3', kind: 'ladle', area: 'Melt shop', line: 'Ladle transfer', position: [-36, 0, 9], rotation: 90 },
  { id: 'caster-1', name: 'Continuous caster 1', kind: 'caster', area: 'Casting', line: 'Caster 1', position: [-24, 0, -5] },
  { id: 'caster-2', name: 'Continuous caster 2', kind: 'caster', area: 'Casting', line: 'Caster 2', position: [-24, 0, 5] },
  { id: 'conveyor-1', name: 'Roller table 1', kind: 'conveyor', area: 'Hot strip mill', line: 'Roughing', position: [-14, 0, 0] },
  { id: 'stand-r1', name: 'Roughing stand R1', kind: 'roll-stand', area: 'Hot strip mill', line: 'Roughing', position: [-8, 0, 0] },
  { id: 'stand-r2', name: 'Roughing stand R2', kind: 'roll-stand', area: 'Hot strip mill', line: 'Roughing', position: [-3, 0, 0] },
  { id: 'conveyor-2', name: 'Roller table 2', kind: 'conveyor', area: 'Hot strip mill', line: 'Roughing', position: [3, 0, 0] },
  { id: 'stand-f1', name: 'Finishing stand F1', kind: 'roll-stand', area: 'Hot strip mill', line: 'Finishing', position: [9, 0, 0] },
  { id: 'stand-f2', name: 'Finishing stand F2', kind: 'roll-stand', area: 'Hot strip mill', line: 'Finishing', position: [13, 0, 0] },
  { id: 'stand-f3', name: 'Finishing stand F3', kind: 'roll-stand', area: 'Hot strip mill', line: 'Finishing', position: [17, 0, 0] },
  { id: 'stand-f4', name: 'Finishing stand F4', kind: 'roll-stand', area: 'Hot strip mill', line: 'Finishing', position: [21, 0, 0] },
  { id: 'conveyor-3', name: 'Run-out table 1', kind: 'conveyor', area: 'Hot strip mill', line: 'Run-out', position: [27, 0, 0] },
  { id: 'conveyor-4', name: 'Run-out table 2', kind: 'conveyor', area: 'Hot strip mill', line: 'Run-out', position: [33, 0, 0] },
  { id: 'cooling-bed-1', name: 'Cooling bed 1', kind: 'cooling-bed', area: 'Finishing', line: 'Cooling', position: [43, 0, -4] },
  { id: 'cooling-bed-2', name: 'Cooling bed 2', kind: 'cooling-bed', area: 'Finishing', line: 'Cooling', position: [43, 0, 4] },
  { id: 'robot-1', name: 'Bundling robot 1', kind: 'robot', area: 'Finishing', line: 'Bundling', position: [52, 0, -6] },
  { id: 'robot-2', name: 'Bundling robot 2', kind: 'robot', area: 'Finishing', line: 'Bundling', position: [52, 0, 0] },
  { id: 'robot-3', name: 'Marking robot', kind: 'robot', area: 'Finishing', line: 'Bundling', position: [52, 0, 6] },
  { id: 'pump-1', name: 'Mould cooling pump 1', kind: 'pump', area: 'Utilities', line: 'Water treatment', position: [-31, 0, -17] },
  { id: 'pump-2', name: 'Mould cooling pump 2', kind: 'pump', area: 'Utilities', line: 'Water treatment', position: [-27, 0, -17] },
  { id: 'pump-3', name: 'Descaling pump', kind: 'pump', area: 'Utilities', line: 'Water treatment', position: [-23, 0, -17] },
  { id: 'pump-4', name: 'Laminar cooling pump', kind: 'pump', area: 'Utilities', line: 'Water treatment', position: [-19, 0, -17] },
  { id: 'tank-1', name: 'Cooling water tank', kind: 'tank', area: 'Utilities', line: 'Water treatment', position: [-31, 0, -23] },
  { id: 'tank-2', name: 'Descaling water tank', kind: 'tank', area: 'Utilities', line: 'Water treatment', position: [-25, 0, -23] },
  { id: 'tank-3', name: 'Hydraulic oil tank', kind: 'tank', area: 'Utilities', line: 'Hydraulics', position: [-19, 0, -23] },
];

/**
 * A utilities signal bound through Sparkplug B, so that the demo runs both paths: the water
 * treatment machines are devices of one edge node, the hydraulics tank's metrics the node's own.
 */
function sparkplugSignal(placement: Pick<Placement, 'id' | 'line'>, { topic, ...signal }: SignalInput): SignalInput {
  const hydraulics = placement.line === 'Hydraulics';
  const binding = hydraulics ? { node: 'hydraulics-plc', metric: `${placement.id}/${signal.id}` } : { node: 'water-treatment-gateway', device: placement.id, metric: signal.id };
  return { ...signal, broker: 'utilities', sparkplug: { group: 'Utilities', ...binding } };
}

/** The demo plant as plant-file data. */
export function demoPlant(): PlantInput {
  // Two brokers without URLs: the demo runs an embedded broker for each, and now and then takes
  // the utilities gateway down so that its machines show offline and the viewer reconnects.
  return {
    name: 'Demo steel mill',
    modelsDirectory: '../models',
    brokers: [
      { id: 'mill', name: 'Mill network' },
      // The utilities gateway speaks Sparkplug B, with this host as the edge nodes' primary host.
      { id: 'utilities', name: 'Utilities gateway', sparkplug: { hostId: 'twinline', primary: true } },
    ],
    machines: placements.map(({ kind, rotation, ...placement }) => {
      const { signals, animations } = kinds[kind]!(placement.id);
      const broker = placement.area === 'Utilities' ? 'utilities' : 'mill';
      return {
        ...placement,
        kind,
        rotation: rotation ?? 0,
        model: { file: `${kind}.glb`, node: kind },
        signals: signals?.map((signal) => (broker === 'utilities' ? sparkplugSignal(placement, signal) : { ...signal, broker })),
        animations,
      };
    }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = fileURLToPath(new URL('../assets/demo-plant.yaml', import.meta.url));
  const header = '# yaml-language-server: $schema=./plant.schema.json\n# The demo plant. Generated by `node scripts/write-demo-plant.ts`; edit that script, not this file.\n';
  const document = new Document(demoPlant());
  // Coordinates read best on one line: [x, y, z].
  visit(document, { Seq: (_, node) => { if (isSeq(node) && node.items.length === 3) node.flow = true; } });
  writeFileSync(target, header + document.toString({ lineWidth: 0 }));
  console.log(`wrote ${target}`);
}
