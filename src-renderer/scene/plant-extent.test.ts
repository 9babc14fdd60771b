import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../src-main/common/parse-plant.ts';
import { areaPlates, clipPlanesFor, estimatedMachineSize, extentChanged, extentOfBounds, extentWithPlates, fogFor, niceLength, turnedHalfSize, plantExtent, radiusOf, stageFor, type ExtentMachine } from './plant-extent.ts';

/** A robot cell of 10 m: a robot, a fixture table and a conveyor, with primitive sizes. */
const cell: ExtentMachine[] = [
  { area: 'Cell 1', position: [0, 0, 0], primitive: { size: [1.2, 2.2, 1.2] } },
  { area: 'Cell 1', position: [3, 0, 1], rotation: 30, primitive: { size: [2, 1, 1.5] } },
  { area: 'Cell 1', position: [-3, 0, -2], primitive: { size: [4, 0.9, 0.8] } },
];

/** A 600 m mill: 120 machines of 12 m along a line, in three areas, models with a size hint. */
const mill: ExtentMachine[] = Array.from({ length: 120 }, (_, index) => ({
  area: ['Melt shop', 'Hot strip mill', 'Finishing'][Math.floor(index / 40)]!,
  position: [index * 5 - 297, 0, (index % 3) * 20 - 20] as [number, number, number],
  model: { file: 'stand.glb', size: [12, 9, 8] as [number, number, number] },
}));

/** How far a machine's footprint reaches along x and z: its stated size turned by its rotation, or for an unknown size the circle around it. */
function reachOf(machine: ExtentMachine): [number, number] {
  const stated = machine.primitive?.size ?? machine.model?.size;
  if (!stated) return [Math.hypot(estimatedMachineSize, estimatedMachineSize) / 2, Math.hypot(estimatedMachineSize, estimatedMachineSize) / 2];
  return turnedHalfSize(stated[0], stated[2], machine.rotation ?? 0);
}

describe('plantExtent', () => {
  it('holds every machine footprint, from primitive sizes and size hints, as each machine is turned', () => {
    for (const machines of [cell, mill]) {
      const extent = plantExtent(machines);
      for (const machine of machines) {
        const [x, , z] = machine.position;
        const [reachX, reachZ] = reachOf(machine);
        expect(x - reachX).toBeGreaterThanOrEqual(extent.minX - 1e-9);
        expect(x + reachX).toBeLessThanOrEqual(extent.maxX + 1e-9);
        expect(z - reachZ).toBeGreaterThanOrEqual(extent.minZ - 1e-9);
        expect(z + reachZ).toBeLessThanOrEqual(extent.maxZ + 1e-9);
      }
    }
    // The conveyor of the cell lies along x: its extent is tight in z, not the circle around it.
    const conveyor = plantExtent([cell[2]!]);
    expect(conveyor.maxZ - conveyor.minZ).toBeCloseTo(0.8);
    expect(turnedHalfSize(4, 0.8, 90)[0]).toBeCloseTo(0.4);
    expect(plantExtent(cell).height).toBeCloseTo(2.2);
    expect(plantExtent(mill).height).toBe(9);
    expect(plantExtent(mill).maxX - plantExtent(mill).minX).toBeGreaterThan(600);
    expect(plantExtent(cell).maxX - plantExtent(cell).minX).toBeLessThan(12);
  });

  it('estimates a model without a size hint as a 4 m machine, and an empty plant as a small floor', () => {
    const extent = plantExtent([{ area: 'A', position: [10, 0, 10], model: { file: 'press.glb' } }]);
    expect(extent.maxX - extent.minX).toBeCloseTo(Math.hypot(4, 4));
    expect(extent.machineSize).toBe(estimatedMachineSize);
    expect(radiusOf(plantExtent([]))).toBeGreaterThan(0);
  });

  it('reads the demo plant into a ~100 m by ~40 m mill', () => {
    const demo = parsePlantOrThrow(readFileSync(new URL('../../assets/demo-plant.yaml', import.meta.url), 'utf8'));
    const extent = plantExtent(demo.machines);
    expect(extent.maxX - extent.minX).toBeGreaterThan(95);
    expect(extent.maxX - extent.minX).toBeLessThan(115);
    expect(extent.maxZ - extent.minZ).toBeGreaterThan(30);
    expect(extent.maxZ - extent.minZ).toBeLessThan(50);
  });
});

describe('stageFor', () => {
  /** Distance at which a 40° camera sees the plant's bounding sphere whole: what the fit starts from. */
  const fitDistance = (radius: number) => radius / Math.sin((20 * Math.PI) / 180);

  it.each([
    ['a 10 m cell', cell],
    ['a 600 m mill', mill],
  ])('frames and bounds %s', (_name, machines) => {
    const extent = plantExtent(machines);
    const stage = stageFor(extent);
    const radius = radiusOf(extent);
    // The camera can stand back far enough to see it all, and come close enough to see one machine.
    expect(stage.camera.maxDistance).toBeGreaterThan(fitDistance(radius) * 1.5);
    expect(stage.camera.minDistance).toBeLessThanOrEqual(extent.machineSize);
    expect(stage.camera.minDistance).toBeLessThan(stage.camera.maxDistance);
    // Fog starts beyond the nearest machines and ends before the floor's edge, seen from the farthest the camera goes.
    expect(stage.fog.near).toBeGreaterThan(radius * 2);
    expect(stage.fog.far).toBeLessThan(stage.floor.size / 2);
    expect(stage.floor.size / 2).toBeGreaterThan(stage.camera.maxDistance);
    // The grid covers the plant, in round cells.
    expect(stage.grid.size / 2).toBeGreaterThan(Math.max(-extent.minX, extent.maxX, -extent.minZ, extent.maxZ) - stage.centre[0] - 1e-9);
    const cellSize = stage.grid.size / stage.grid.divisions;
    expect(niceLength(cellSize)).toBeCloseTo(cellSize);
    // Layers stay in order: floor under plates under grid, all close to zero.
    expect(stage.floor.y).toBeLessThan(stage.plateY);
    expect(stage.plateY).toBeLessThan(stage.grid.y);
    expect(Math.abs(stage.floor.y)).toBeLessThan(radius * 0.01);
    // The shadow frustum holds every machine, wherever the plant is, and is not much larger.
    expect(stage.shadow.halfSize).toBeGreaterThanOrEqual(radius);
    expect(stage.shadow.halfSize).toBeLessThan(radius * 1.2);
    const [lx, ly, lz] = stage.shadow.position;
    const lightToCentre = Math.hypot(lx - stage.centre[0], ly - stage.centre[1], lz - stage.centre[2]);
    expect(stage.shadow.near).toBeLessThanOrEqual(lightToCentre - radius);
    expect(stage.shadow.far).toBeGreaterThanOrEqual(lightToCentre + radius);
    // The pan bounds hold the plant.
    expect(stage.panBounds.minX).toBeLessThan(extent.minX);
    expect(stage.panBounds.maxZ).toBeGreaterThan(extent.maxZ);
  });

  it('sizes the shadow map for texels of about 8 cm, within what the GPU allows', () => {
    const small = stageFor(plantExtent(cell));
    const large = stageFor(plantExtent(mill));
    expect(small.shadow.mapSize).toBeLessThanOrEqual(512);
    expect(large.shadow.mapSize).toBe(4096);
    expect(stageFor(plantExtent(mill), 2048).shadow.mapSize).toBe(2048);
    expect((small.shadow.halfSize * 2) / small.shadow.mapSize).toBeLessThanOrEqual(0.08);
  });

  it('scales every length with the plant, except the closest look, which follows the machines', () => {
    const extent = plantExtent(mill);
    const tenfold = { ...extent, minX: extent.minX * 10, maxX: extent.maxX * 10, minZ: extent.minZ * 10, maxZ: extent.maxZ * 10, height: extent.height * 10 };
    const [one, ten] = [stageFor(extent), stageFor(tenfold)];
    expect(ten.fog.near / one.fog.near).toBeCloseTo(10, 1);
    expect(ten.floor.size / one.floor.size).toBeCloseTo(10, 1);
    expect(ten.camera.maxDistance / one.camera.maxDistance).toBeCloseTo(10, 1);
    expect(ten.shadow.halfSize / one.shadow.halfSize).toBeCloseTo(10, 1);
    expect(ten.grid.size / one.grid.size).toBeCloseTo(10, 1);
    expect(ten.camera.minDistance).toBe(one.camera.minDistance);
  });
});

describe('clipPlanesFor', () => {
  it('keeps the near plane well before what the camera looks at and the far plane beyond the floor', () => {
    for (const machines of [cell, mill]) {
      const stage = stageFor(plantExtent(machines));
      for (const distance of [stage.camera.minDistance, stage.radius * 3, stage.camera.maxDistance]) {
        const { near, far } = clipPlanesFor(distance, stage);
        expect(near).toBeLessThanOrEqual(distance / 100);
        expect(far).toBeGreaterThan(distance + stage.floor.size / 2);
        expect(far / near).toBeLessThan(1e6);
      }
    }
  });
});

describe('fogFor', () => {
  it('matches the stage at the fitted view and leaves the plant visible from the farthest the camera goes', () => {
    for (const machines of [cell, mill]) {
      const stage = stageFor(plantExtent(machines));
      const fitted = fogFor(stage.radius * 2.9, stage);
      expect(fitted.near / stage.fog.near).toBeCloseTo(1, 1);
      expect(fitted.far / stage.fog.far).toBeCloseTo(1, 1);
      const farthest = fogFor(stage.camera.maxDistance, stage);
      // The far side of the plant is still short of full fog, the near side well inside it.
      expect(farthest.far).toBeGreaterThan(stage.camera.maxDistance + stage.radius * 1.5);
      expect(farthest.near).toBeLessThan(stage.camera.maxDistance - stage.radius * 0.5);
      const closest = fogFor(stage.camera.minDistance, stage);
      expect(closest.near).toBeGreaterThan(0);
      expect(closest.far).toBeGreaterThan(stage.radius * 3);
    }
  });
});

describe('extentOfBounds', () => {
  it('takes the loaded scene box, and keeps the estimate while nothing is loaded', () => {
    const estimate = plantExtent(mill);
    const empty = { min: { x: Infinity, y: Infinity, z: Infinity }, max: { x: -Infinity, y: -Infinity, z: -Infinity } };
    expect(extentOfBounds(empty, estimate)).toBe(estimate);
    const loaded = extentOfBounds({ min: { x: -10, y: 0, z: -5 }, max: { x: 30, y: 7, z: 5 } }, estimate, [3, 5, 9]);
    expect(loaded).toEqual({ minX: -10, maxX: 30, minZ: -5, maxZ: 5, height: 7, machineSize: 5 });
    expect(extentChanged(loaded, estimate)).toBe(true);
    expect(extentChanged(loaded, { ...loaded, maxX: 30.1 })).toBe(false);
  });
});

describe('areaPlates', () => {
  it('centres each label on its area, fits its letters on the plate, and holds every machine', () => {
    const extent = plantExtent(mill);
    const plates = areaPlates(mill, extent);
    expect(plates.map((plate) => plate.name)).toEqual(['Melt shop', 'Hot strip mill', 'Finishing']);
    for (const plate of plates) {
      const members = mill.filter((machine) => machine.area === plate.name);
      const xs = members.map((machine) => machine.position[0]);
      expect(plate.centre[0]).toBeCloseTo((Math.min(...xs) + Math.max(...xs)) / 2);
      for (const machine of members) {
        expect(Math.abs(machine.position[0] - plate.centre[0]) + reachOf(machine)[0]).toBeLessThanOrEqual(plate.size[0] / 2);
        expect(Math.abs(machine.position[2] - plate.centre[1]) + reachOf(machine)[1]).toBeLessThanOrEqual(plate.size[1] / 2);
      }
      expect(plate.labelHeight * plate.name.length * 0.62).toBeLessThanOrEqual(plate.size[0] * 0.9 + 1e-9);
      expect(plate.labelHeight).toBeGreaterThan(0);
    }
  });

  it('grows the extent to hold every plate, so a fit frames the plates whole', () => {
    const extent = plantExtent(cell);
    const plates = areaPlates(cell, extent);
    const framed = extentWithPlates(extent, plates);
    for (const plate of plates) {
      expect(plate.centre[0] - plate.size[0] / 2).toBeGreaterThanOrEqual(framed.minX);
      expect(plate.centre[0] + plate.size[0] / 2).toBeLessThanOrEqual(framed.maxX);
      expect(plate.centre[1] - plate.size[1] / 2).toBeGreaterThanOrEqual(framed.minZ);
      expect(plate.centre[1] + plate.size[1] / 2).toBeLessThanOrEqual(framed.maxZ);
    }
    expect(framed.maxX - framed.minX).toBeGreaterThan(extent.maxX - extent.minX);
  });

  it('gives a one-machine area of a small cell a plate and a readable label', () => {
    const [plate] = areaPlates([cell[0]!], plantExtent(cell));
    expect(plate!.size[0]).toBeGreaterThan(1.2);
    expect(plate!.labelHeight).toBeGreaterThan(0.05);
  });
});

describe('niceLength', () => {
  it('rounds up to 1, 2 or 5 × 10ⁿ', () => {
    expect([0.3, 1, 1.5, 4.4, 7, 30, 120].map(niceLength)).toEqual([0.5, 1, 2, 5, 10, 50, 200]);
  });
});
