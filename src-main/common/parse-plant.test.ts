import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatPlantProblem, parsePlantText } from './parse-plant.ts';

const validPlant = `name: Test line
machines:
  - id: press-1
    name: Press 1
    area: Body shop
    line: Line 2
    primitive: { shape: box, size: [2, 3, 2] }
    position: [0, 0, 0]
    signals:
      - id: temperature
        topic: plant/press-1/temperature
        unit: °C
        period: 1
        limits: { highWarn: 80, highAlarm: 90, deadband: 2 }
      - id: speed
        topic: plant/press-1/state
        path: drive.speed
    animations:
      - { node: ram, property: position.y, signal: speed, scale: 0.1 }
      - { node: flywheel, spin: y, signal: speed }
`;

describe('parsePlantText', () => {
  it('accepts a valid plant and fills in defaults', () => {
    const result = parsePlantText(validPlant);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const machine = result.plant.machines[0]!;
    expect(machine.rotation).toBe(0);
    expect(machine.signals[0]!.limits).toEqual({ highWarn: 80, highAlarm: 90, deadband: 2, onDelay: 0 });
    expect(machine.signals[1]!.period).toBe(1);
    expect(machine.animations[1]).toEqual({ node: 'flywheel', spin: 'y', signal: 'speed', scale: 1 });
    expect(result.plant.maxPayloadBytes).toBe(256 * 1024);
  });

  it('accepts the demo plant', () => {
    const text = readFileSync(new URL('../../assets/demo-plant.yaml', import.meta.url), 'utf8');
    const result = parsePlantText(text, 'demo-plant.yaml');
    expect(result.ok ? result.plant.machines.length : result.problems.map(formatPlantProblem)).toBeGreaterThanOrEqual(24);
    if (result.ok) expect(new Set(result.plant.machines.map((machine) => machine.kind)).size).toBeGreaterThanOrEqual(6);
  });

  it('lists every problem of a broken file with its path and line', () => {
    const broken = `name: Broken line
machines:
  - id: press-1
    name: Press 1
    area: Body shop
    line: Line 2
    primitive: { shape: pyramid }
    signals:
      - id: temperature
        unit: °C
        limits: { highWarn: 95, highAlarm: 90 }
      - id: temperature
        topic: plant/+/temperature
        period: -1
    animations:
      - { node: ram, property: position.y, signal: pressure }
  - id: press-2
    area: Body shop
    line: Line 2
    model: { file: press.glb, node: press }
    colour: red
`;
    const result = parsePlantText(broken, 'plant.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.problems.map(formatPlantProblem);
    expect(lines).toEqual([
      'plant.yaml:7 machines[0].primitive.shape: must be one of "box", "cylinder", "sphere"',
      'plant.yaml:9 machines[0].signals[0].topic: give either topic or sparkplug (one of them)',
      'plant.yaml:11 machines[0].signals[0].limits.highAlarm: must not be below highWarn (95)',
      'plant.yaml:12 machines[0].signals[1].id: duplicate signal id "temperature"',
      'plant.yaml:13 machines[0].signals[1].topic: must be a concrete topic without wildcards',
      'plant.yaml:14 machines[0].signals[1].period: Too small: expected number to be >0',
      'plant.yaml:16 machines[0].animations[0].signal: no signal "pressure" on this machine',
      'plant.yaml:17 machines[1].name: required',
      'plant.yaml:21 machines[1].colour: unknown field',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const result = parsePlantText('name: x\nmachines:\n  - id: a\n   bad: [1, 2\n', 'broken.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]!.file).toBe('broken.yaml');
    expect(result.problems[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('refuses a file that is not a plant at all', () => {
    const result = parsePlantText('just a string', 'plant.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatPlantProblem(result.problems[0]!)).toBe('plant.yaml:1 expected object, got string "just a string"');
  });
});

describe('hostile plant text', () => {
  it('reports an alias used before its anchor instead of throwing', () => {
    const result = parsePlantText('name: *a\nmachines: &a []\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toMatch(/alias|anchor/i);
  });
});
