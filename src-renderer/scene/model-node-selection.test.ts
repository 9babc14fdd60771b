import { readFileSync } from 'node:fs';
import { Box3, BoxGeometry, Group, Mesh, MeshStandardMaterial, type Object3D } from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../src-main/common/parse-plant.ts';
import type { ModelReference } from '../../src-main/common/plant-schema.ts';
import { fixtureModels } from '../../scripts/write-cad-fixtures.ts';
import { machineTemplate, modelScale, placeholderPrimitive } from './model-node-selection.ts';

/** The model entry as a plant file writes it, through the real schema (defaults filled in). */
function model(entry: string): ModelReference {
  const plant = parsePlantOrThrow(`
name: Selection test
machines:
  - { id: m, name: M, area: A, line: L, model: ${entry} }
`);
  return plant.machines[0]!.model!;
}

/** A part: a box of this size (file units) with its centre at this place. */
function part(name: string, size: [number, number, number], centre: [number, number, number]): Mesh {
  const mesh = new Mesh(new BoxGeometry(...size), new MeshStandardMaterial());
  mesh.name = name;
  mesh.position.set(...centre);
  return mesh;
}

function bounds(object: Object3D): { min: number[]; max: number[] } {
  const box = new Box3().setFromObject(object);
  const round = (value: number) => Math.round(value * 1e4) / 1e4 + 0;
  return { min: box.min.toArray().map(round), max: box.max.toArray().map(round) };
}

/** A CAD-like file: millimetres, z up, two root parts and a nested assembly under a moved parent. */
function cadScene(): Group {
  const scene = new Group();
  scene.add(part('base', [2000, 1000, 400], [0, 0, 200]));
  scene.add(part('column', [200, 200, 1600], [800, 0, 1200]));
  const assembly = new Group();
  assembly.name = 'spindle assembly';
  assembly.position.set(1000, 0, 0);
  assembly.add(part('spindle', [100, 100, 300], [0, 0, 1000]));
  scene.add(assembly);
  return scene;
}

const machine = (entry: string) => ({ id: 'm', model: model(entry) });

describe('machineTemplate', () => {
  it('draws the whole file when no node is given, millimetres with z up made metres with y up', () => {
    const template = machineTemplate(cadScene(), machine('{ file: mill.glb, units: mm, up: z }'));
    // x stays, the file's z (up) becomes y, the file's y becomes -z.
    expect(bounds(template)).toEqual({ min: [-1, 0, -0.5], max: [1.05, 2, 0.5] });
  });

  it('turns about the vertical after units and up, then shifts by the offset in metres', () => {
    const template = machineTemplate(cadScene(), machine('{ file: mill.glb, units: mm, up: z, rotation: 90, offset: [10, 0.5, -3] }'));
    // 90° about y: x → -z, z → x.
    expect(bounds(template)).toEqual({ min: [9.5, 0.5, -4.05], max: [10.5, 2.5, -2] });
  });

  it('takes one node to the origin, keeping its own size, as the demo model library has it', () => {
    const template = machineTemplate(cadScene(), machine('{ file: mill.glb, node: column, units: mm, up: z }'));
    expect(bounds(template)).toEqual({ min: [-0.1, -0.8, -0.1], max: [0.1, 0.8, 0.1] });
  });

  it('keeps several nodes where the file has them, with their parents\u2019 transforms', () => {
    const template = machineTemplate(cadScene(), machine('{ file: mill.glb, nodes: [column, spindle], scale: 0.001, up: z }'));
    // column: x 0.7–0.9, up 0.4–2.0; spindle under the assembly moved 1 m along x: x 0.95–1.05, up 0.85–1.15.
    expect(bounds(template)).toEqual({ min: [0.7, 0.4, -0.1], max: [1.05, 2, 0.1] });
  });

  it('finds a node by the name the file gives it, although three renames it', () => {
    const scene = cadScene();
    const named = scene.getObjectByName('spindle assembly')!;
    // What GLTFLoader does: a sanitised unique name, the file's own name in userData.
    named.name = 'spindle_assembly';
    named.userData.name = 'spindle assembly';
    expect(machineTemplate(scene, machine('{ file: mill.glb, node: "spindle assembly" }')).getObjectByName('spindle')).toBeDefined();
  });

  it('names the machine, the file, the missing node and nodes it does have', () => {
    expect(() => machineTemplate(cadScene(), machine('{ file: mill.glb, nodes: [base, turret] }'))).toThrow(
      'm: no node "turret" in mill.glb (its nodes include "base", "column", "spindle assembly", "spindle")',
    );
  });

  it('leaves the loaded scene as it was, so other machines take the same file as they need it', () => {
    const scene = cadScene();
    const before = bounds(scene);
    machineTemplate(scene, machine('{ file: mill.glb, node: column, units: in, up: z, rotation: 30, offset: [1, 2, 3] }'));
    machineTemplate(scene, machine('{ file: mill.glb, nodes: [base], units: cm }'));
    expect(bounds(scene)).toEqual(before);
    expect(scene.getObjectByName('column')!.position.toArray()).toEqual([800, 0, 1200]);
  });

  it('places the CAD fixtures where the fixture script says they reach', async () => {
    // Draco, meshopt and KTX2 need the browser's decoders (the e2e test shows those); these read in Node as they are.
    const entries: Record<string, string> = { 'press-mm-zup.glb': '{ file: press-mm-zup.glb, units: mm, up: z }', 'welding-cell.glb': '{ file: welding-cell.glb }' };
    for (const [file, entry] of Object.entries(entries)) {
      const bytes = readFileSync(new URL(`../../e2e/fixtures/cad/${file}`, import.meta.url));
      const gltf = await new GLTFLoader().parseAsync(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), '');
      const expected = fixtureModels.find((fixture) => fixture.file === file)!.bounds;
      expect(bounds(machineTemplate(gltf.scene, machine(entry))), file).toEqual(expected);
    }
  });
});

describe('modelScale and placeholderPrimitive', () => {
  it('reads units as metres per unit, scale as given, and glTF metres otherwise', () => {
    expect([modelScale({ units: 'mm' }), modelScale({ units: 'cm' }), modelScale({ units: 'm' }), modelScale({ units: 'in' })]).toEqual([0.001, 0.01, 1, 0.0254]);
    expect([modelScale({ scale: 0.5 }), modelScale({})]).toEqual([0.5, 1]);
  });

  it('draws a model that cannot be shown as a box of the size hint, else 2 m', () => {
    expect(placeholderPrimitive({ model: model('{ file: a.glb, size: [4, 3, 1.5] }') }).size).toEqual([4, 3, 1.5]);
    expect(placeholderPrimitive({ model: model('{ file: a.glb }') }).size).toEqual([2, 2, 2]);
  });
});
