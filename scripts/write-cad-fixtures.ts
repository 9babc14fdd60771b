#!/usr/bin/env node
// Writes small CAD-like model files to e2e/fixtures/cad/, one for each way CAD and Blender pipelines
// deliver glTF: Draco, meshopt with quantized attributes, a KTX2 (Basis Universal UASTC) texture, a
// .gltf with its .bin and a PNG beside it, files of several root nodes named after part numbers (the
// Draco one with a WebP texture), and a file in millimetres with z up — plus two broken files. Run `npm run cad-fixtures`.
//
// The output is deterministic (same code and encoders, same bytes), so the committed files can be
// checked against this script. Every model's origin is on the floor under it, and it reaches exactly as far as
// `fixtureModels` states, which the end-to-end test expects to see in the scene.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Document, type Mesh, type Node, NodeIO, type Material, type Texture } from '@gltf-transform/core';
import {
  EXTMeshoptCompression,
  EXTTextureWebP,
  KHRDracoMeshCompression,
  KHRMaterialsEmissiveStrength,
  KHRMeshQuantization,
  KHRTextureBasisu,
  KHRTextureTransform,
} from '@gltf-transform/extensions';
import { encodeToKTX2 } from 'ktx2-encoder';
import { MeshoptEncoder } from 'meshoptimizer';
import { PNG } from 'pngjs';

// draco3dgltf ships CommonJS without type declarations.
const require = createRequire(import.meta.url);
const draco3d = require('draco3dgltf') as { createEncoderModule(): Promise<unknown> };

/** One fixture model: its file, what it exercises, the node a plant binds, and where it reaches once read as the plant says. */
export interface FixtureModel {
  /** The file the plant names. */
  file: string;
  /** What this model exercises, in a few words. */
  encoding: string;
  /** The node the plant binds, or undefined for the whole file. */
  node?: string;
  /** Its bounds in metres with y up, relative to the machine's position, after the plant's units and up axis. */
  bounds: { min: [number, number, number]; max: [number, number, number] };
}

/** The models the fixture plant uses, with the bounds the scene must show. */
export const fixtureModels: FixtureModel[] = [
  { file: 'milling-machine-draco.glb', encoding: 'Draco, several root parts, a WebP texture', bounds: { min: [-1.5, 0, -0.8], max: [1.5, 2.6, 0.8] } },
  { file: 'robot-meshopt.glb', encoding: 'meshopt, quantized attributes', node: 'robot', bounds: { min: [-0.5, 0, -0.5], max: [1.2, 2.2, 0.5] } },
  { file: 'agv-ktx2.glb', encoding: 'KTX2 (Basis Universal UASTC) texture', node: 'agv', bounds: { min: [-0.8, 0, -0.5], max: [0.8, 0.5, 0.5] } },
  { file: 'conveyor.gltf', encoding: '.gltf with .bin and a PNG beside it', node: 'conveyor', bounds: { min: [-2, 0, -0.4], max: [2, 0.9, 0.4] } },
  { file: 'welding-cell.glb', encoding: 'several root nodes, no single root', bounds: { min: [-1.5, 0, -1.5], max: [1.5, 2, 1.5] } },
  { file: 'press-mm-zup.glb', encoding: 'millimetres, z up, several root parts', bounds: { min: [-1.2, 0, -0.9], max: [1.2, 3.6, 0.9] } },
];

/** The files that must fail to load, and why. */
export const brokenFixtures = [
  { file: 'broken-truncated.glb', reason: 'a GLB cut off halfway' },
  { file: 'broken-json.glb', reason: 'a GLB whose JSON chunk is not JSON' },
] as const;

// ---------------------------------------------------------------------------------------------
// Geometry: indexed triangles with normals and texture coordinates, centred on the local origin.

interface Geometry {
  positions: number[];
  normals: number[];
  uvs: number[];
  indices: number[];
}

/** A box of this size, centred on the origin, each face with its own vertices so its edges stay sharp. */
function box(width: number, height: number, depth: number): Geometry {
  const geometry: Geometry = { positions: [], normals: [], uvs: [], indices: [] };
  const half = [width / 2, height / 2, depth / 2];
  // Each face: its normal axis and sign, and the two axes spanning it.
  const faces: Array<[number, number, number, number]> = [
    [0, 1, 2, 1],
    [0, -1, 2, 1],
    [1, 1, 0, 2],
    [1, -1, 0, 2],
    [2, 1, 0, 1],
    [2, -1, 0, 1],
  ];
  for (const [axis, sign, u, v] of faces) {
    const base = geometry.positions.length / 3;
    for (const [du, dv] of [
      [-1, -1],
      [1, -1],
      [1, 1],
      [-1, 1],
    ] as const) {
      const point = [0, 0, 0];
      point[axis] = sign * half[axis]!;
      point[u] = du * half[u]!;
      point[v] = dv * half[v]!;
      const normal = [0, 0, 0];
      normal[axis] = sign;
      geometry.positions.push(...point);
      geometry.normals.push(...normal);
      geometry.uvs.push((du + 1) / 2, (1 - dv) / 2);
    }
    // Counter-clockwise seen from outside: the winding flips with the face's side and axis order.
    const outward = sign * ((u + 1) % 3 === v ? 1 : -1) > 0;
    geometry.indices.push(...(outward ? [base, base + 1, base + 2, base, base + 2, base + 3] : [base, base + 2, base + 1, base, base + 3, base + 2]));
  }
  return geometry;
}

/** A closed cylinder of this radius and length along the given axis (0 x, 1 y, 2 z), centred on the origin. */
function cylinder(radius: number, length: number, axis: 0 | 1 | 2, segments = 16): Geometry {
  const geometry: Geometry = { positions: [], normals: [], uvs: [], indices: [] };
  // Built along y, then the axes are swapped so y becomes the wanted one, keeping the winding.
  const place = (x: number, y: number, z: number): number[] => (axis === 1 ? [x, y, z] : axis === 0 ? [y, z, x] : [z, x, y]);
  for (let index = 0; index <= segments; index++) {
    const angle = (index / segments) * Math.PI * 2;
    const [x, z] = [Math.sin(angle), Math.cos(angle)];
    for (const y of [-length / 2, length / 2]) {
      geometry.positions.push(...place(x * radius, y, z * radius));
      geometry.normals.push(...place(x, 0, z));
      geometry.uvs.push(index / segments, y < 0 ? 1 : 0);
    }
  }
  for (let index = 0; index < segments; index++) {
    const [a, b, c, d] = [index * 2, index * 2 + 1, index * 2 + 2, index * 2 + 3];
    geometry.indices.push(a, c, b, b, c, d);
  }
  for (const sign of [-1, 1]) {
    const centre = geometry.positions.length / 3;
    geometry.positions.push(...place(0, (sign * length) / 2, 0));
    geometry.normals.push(...place(0, sign, 0));
    geometry.uvs.push(0.5, 0.5);
    for (let index = 0; index <= segments; index++) {
      const angle = (index / segments) * Math.PI * 2;
      geometry.positions.push(...place(Math.sin(angle) * radius, (sign * length) / 2, Math.cos(angle) * radius));
      geometry.normals.push(...place(0, sign, 0));
      geometry.uvs.push(0.5 + Math.sin(angle) / 2, 0.5 + Math.cos(angle) / 2);
    }
    for (let index = 0; index < segments; index++) {
      const [first, second] = [centre + 1 + index, centre + 2 + index];
      geometry.indices.push(...(sign > 0 ? [centre, first, second] : [centre, second, first]));
    }
  }
  return geometry;
}

// ---------------------------------------------------------------------------------------------
// Documents.

/** Colours as CAD exports name them: paint by RAL number, bare steel, rubber. */
const finishes = {
  'Lack RAL 7035': [0.78, 0.8, 0.8, 1],
  'Lack RAL 5015': [0.12, 0.36, 0.62, 1],
  'Lack RAL 1003': [0.95, 0.66, 0.05, 1],
  'Lack RAL 9005': [0.04, 0.04, 0.05, 1],
  Stahl: [0.55, 0.57, 0.6, 1],
  Gummi: [0.1, 0.1, 0.1, 1],
} as const;

type FinishName = keyof typeof finishes;

/** A document being built, with its materials made once each. */
class ModelBuilder {
  readonly document = new Document();
  readonly buffer = this.document.createBuffer();
  private readonly materials = new Map<string, Material>();

  constructor() {
    // A fixed generator keeps the bytes the same when the library's version changes.
    this.document.getRoot().getAsset().generator = 'Twinline CAD fixtures';
  }

  /** The material of this finish (with this texture), made on first use and shared after. */
  material(name: FinishName, texture?: Texture): Material {
    const key = texture ? `${name} ${texture.getName()}` : name;
    let material = this.materials.get(key);
    if (!material) {
      material = this.document
        .createMaterial(texture ? `${name} mit Textur` : name)
        .setBaseColorFactor([...finishes[name]])
        .setMetallicFactor(name === 'Stahl' ? 0.6 : 0.1)
        .setRoughnessFactor(0.6);
      if (texture) material.setBaseColorTexture(texture).setBaseColorFactor([1, 1, 1, 1]);
      this.materials.set(key, material);
    }
    return material;
  }

  /** A mesh of float attributes. */
  mesh(name: string, geometry: Geometry, material: Material): Mesh {
    const accessor = (array: Float32Array | Uint16Array, type: 'VEC3' | 'VEC2' | 'SCALAR') => this.document.createAccessor().setArray(array).setType(type).setBuffer(this.buffer);
    const primitive = this.document
      .createPrimitive()
      .setAttribute('POSITION', accessor(new Float32Array(geometry.positions), 'VEC3'))
      .setAttribute('NORMAL', accessor(new Float32Array(geometry.normals), 'VEC3'))
      .setIndices(accessor(new Uint16Array(geometry.indices), 'SCALAR'))
      .setMaterial(material);
    // Texture coordinates only where a texture reads them: the validator reports unused ones.
    if (material.getBaseColorTexture()) primitive.setAttribute('TEXCOORD_0', accessor(new Float32Array(geometry.uvs), 'VEC2'));
    return this.document.createMesh(name).addPrimitive(primitive);
  }

  /** A node with this mesh, at this place. */
  part(name: string, geometry: Geometry, finish: FinishName | Material, translation: [number, number, number]): Node {
    const material = typeof finish === 'string' ? this.material(finish) : finish;
    return this.document.createNode(name).setMesh(this.mesh(name, geometry, material)).setTranslation(translation);
  }

  /** An empty node holding these children. */
  group(name: string, translation: [number, number, number], children: Node[]): Node {
    const node = this.document.createNode(name).setTranslation(translation);
    for (const child of children) node.addChild(child);
    return node;
  }

  /** The default scene with these root nodes. */
  scene(roots: Node[]): void {
    const scene = this.document.createScene('Scene');
    for (const root of roots) scene.addChild(root);
    this.document.getRoot().setDefaultScene(scene);
  }
}

/**
 * A 32 × 32 grid (dark lines every 8 pixels on steel grey) as a lossless WebP: what a Blender export
 * with "WebP" images writes. No WebP encoder runs in Node without native code, so these 54 bytes were
 * encoded once (`cwebp -lossless`) and are kept here; the e2e test sees them decoded on the machine table.
 */
const gridWebp = Buffer.from('UklGRi4AAABXRUJQVlA4TCEAAAAvH8AHAA9wkL174J2Eb/4DD2LBZP7Q/RlE9D+hBS1oQQsA', 'base64');

/**
 * A milling machine as a machine builder's CAD export gives it: Draco-compressed, one root node per part
 * named after the part number, no node for the whole machine. 3 × 2.6 × 1.6 m.
 */
function millingMachine(): ModelBuilder {
  const model = new ModelBuilder();
  model.document.createExtension(EXTTextureWebP).setRequired(true);
  const tableGrid = model.document.createTexture('table grid').setMimeType('image/webp').setImage(new Uint8Array(gridWebp));
  model.scene([
    model.part('006435-1 - Teil 1', box(3, 0.8, 1.6), 'Lack RAL 7035', [0, 0.4, 0]),
    model.part('006435-1 - Teil 2', box(0.8, 1.8, 0.8), 'Lack RAL 5015', [-1, 1.7, -0.3]),
    model.part('006435-1 - Teil 3', box(2, 0.15, 1), model.material('Stahl', tableGrid), [0.3, 0.875, 0.1]),
    model.part('006435-1 - Teil 4', box(0.6, 0.6, 0.6), 'Lack RAL 5015', [-0.4, 2.1, -0.3]),
    model.part('006435-1 - Teil 5', cylinder(0.08, 0.5, 1), 'Stahl', [-0.4, 1.55, -0.3]),
  ]);
  model.document.createExtension(KHRDracoMeshCompression).setRequired(true).setEncoderOptions({
    method: KHRDracoMeshCompression.EncoderMethod.EDGEBREAKER,
    encodeSpeed: 5,
    decodeSpeed: 5,
  });
  return model;
}

/** Largest value of a signed 16-bit normalized component. */
const int16Max = 32767;
/** Largest value of a signed 8-bit normalized component. */
const int8Max = 127;

/**
 * A mesh stored as KHR_mesh_quantization allows: positions as normalized 16-bit integers over the
 * mesh's own extent, normals as normalized bytes. The returned node's scale turns them back into metres.
 */
function quantizedPart(model: ModelBuilder, name: string, geometry: Geometry, material: Material, translation: [number, number, number]): Node {
  const extent = Math.max(...geometry.positions.map(Math.abs));
  const positions = Int16Array.from(geometry.positions, (value) => Math.round((value / extent) * int16Max));
  const normals = Int8Array.from(geometry.normals, (value) => Math.round(value * int8Max));
  const primitive = model.document
    .createPrimitive()
    .setAttribute('POSITION', model.document.createAccessor().setArray(positions).setType('VEC3').setNormalized(true).setBuffer(model.buffer))
    .setAttribute('NORMAL', model.document.createAccessor().setArray(normals).setType('VEC3').setNormalized(true).setBuffer(model.buffer))
    .setIndices(model.document.createAccessor().setArray(new Uint16Array(geometry.indices)).setType('SCALAR').setBuffer(model.buffer))
    .setMaterial(material);
  const mesh = model.document.createMesh(name).addPrimitive(primitive);
  const holder = model.document.createNode(`${name} (quantized)`).setMesh(mesh).setScale([extent, extent, extent]);
  return model.group(name, translation, [holder]);
}

/** A six-axis robot under one root node "robot", meshopt-compressed with quantized attributes. 1.7 × 2.2 × 1 m. */
function robot(): ModelBuilder {
  const model = new ModelBuilder();
  const orange = model.material('Lack RAL 1003');
  const black = model.material('Lack RAL 9005');
  const lamp = model.document.createMaterial('Signalleuchte').setBaseColorFactor([0.2, 0.9, 0.3, 1]).setEmissiveFactor([0.2, 0.9, 0.3]);
  lamp.setExtension('KHR_materials_emissive_strength', model.document.createExtension(KHRMaterialsEmissiveStrength).createEmissiveStrength().setEmissiveStrength(2));
  const tool = model.group('tool', [0.9, 0, 0], [quantizedPart(model, 'flange', cylinder(0.08, 0.3, 0), black, [0.15, 0, 0])]);
  const forearm = model.group('forearm', [0, 0.9, 0], [quantizedPart(model, 'forearm shell', box(0.9, 0.25, 0.25), orange, [0.45, 0, 0]), tool]);
  const upperArm = model.group('upper-arm', [0, 0.6, 0], [quantizedPart(model, 'upper-arm shell', box(0.3, 1.2, 0.3), orange, [0, 0.6, 0]), forearm]);
  const turret = model.group('turret', [0, 0.4, 0], [quantizedPart(model, 'turret shell', box(0.7, 0.3, 0.7), orange, [0, 0.15, 0]), upperArm]);
  const base = quantizedPart(model, 'base', cylinder(0.5, 0.4, 1, 24), black, [0, 0.2, 0]);
  const beacon = quantizedPart(model, 'beacon', cylinder(0.05, 0.1, 1), lamp, [-0.3, 0.8, 0.3]);
  // x: from the base's -0.5 to the flange's 0.9 + 0.15 + 0.15 = 1.2; y: up to 0.4 + 0.6 + 1.2 = 2.2.
  model.scene([model.group('robot', [0, 0, 0], [base, turret, beacon])]);
  model.document.createExtension(KHRMeshQuantization).setRequired(true);
  model.document.createExtension(EXTMeshoptCompression).setRequired(true).setEncoderOptions({ method: EXTMeshoptCompression.EncoderMethod.QUANTIZE });
  return model;
}

/** RGBA pixels of a square texture, from a function of (x, y). */
function pixels(size: number, colourAt: (x: number, y: number) => [number, number, number]): Uint8Array {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      data.set([...colourAt(x, y), 255], (y * size + x) * 4);
    }
  }
  return data;
}

/** Yellow and black hazard stripes, as on an AGV's deck. */
const hazardStripes = (x: number, y: number): [number, number, number] => (Math.floor((x + y) / 8) % 2 === 0 ? [240, 180, 20] : [25, 25, 25]);

/** A transport vehicle under the root node "agv", its deck textured with a KTX2 (UASTC) image. 1.6 × 0.5 × 1 m. */
async function agv(): Promise<ModelBuilder> {
  const model = new ModelBuilder();
  const size = 64;
  const ktx2 = await encodeToKTX2(new Uint8Array(0), {
    isUASTC: true,
    generateMipmap: true,
    enableDebug: false,
    isSetKTX2SRGBTransferFunc: true,
    isPerceptual: true,
    imageDecoder: async () => ({ width: size, height: size, data: pixels(size, hazardStripes) }),
  });
  model.document.createExtension(KHRTextureBasisu).setRequired(true);
  const deckTexture = model.document.createTexture('deck stripes').setMimeType('image/ktx2').setImage(ktx2);
  const wheels = [
    [-0.55, 0.4],
    [0.55, 0.4],
    [-0.55, -0.4],
    [0.55, -0.4],
  ].map(([x, z], index) => model.part(`wheel ${index + 1}`, cylinder(0.1, 0.12, 2), 'Gummi', [x!, 0.1, z! > 0 ? z! + 0.04 : z! - 0.04]));
  model.scene([
    model.group('agv', [0, 0, 0], [
      model.part('chassis', box(1.6, 0.3, 0.9), 'Lack RAL 7035', [0, 0.2, 0]),
      model.part('deck', box(1.4, 0.05, 0.8), model.material('Lack RAL 1003', deckTexture), [0, 0.375, 0]),
      model.part('lift plate', box(0.8, 0.1, 0.6), 'Stahl', [0, 0.45, 0]),
      ...wheels,
    ]),
  ]);
  return model;
}

/** A belt conveyor under the root node "conveyor", written as .gltf with a .bin and a PNG belt texture beside it. 4 × 0.9 × 0.8 m. */
function conveyor(): { model: ModelBuilder; png: Uint8Array } {
  const model = new ModelBuilder();
  model.buffer.setURI('conveyor.bin');
  const image = new PNG({ width: 32, height: 32 });
  image.data = Buffer.from(pixels(32, (x) => (x % 8 < 2 ? [40, 40, 40] : [70, 72, 75])));
  const png = new Uint8Array(PNG.sync.write(image, { colorType: 2 }));
  const belt = model.document.createTexture('belt').setMimeType('image/png').setImage(png).setURI('conveyor-belt.png');
  const beltMaterial = model.material('Gummi', belt);
  // The belt's ribs repeat along its length: the common material extension a CAD pipeline adds.
  const transform = model.document.createExtension(KHRTextureTransform).createTransform().setScale([8, 1]);
  beltMaterial.getBaseColorTextureInfo()!.setExtension('KHR_texture_transform', transform);
  const legs = [-1.8, 1.8].flatMap((x) => [-0.35, 0.35].map((z) => ({ x, z })));
  model.scene([
    model.group('conveyor', [0, 0, 0], [
      model.part('frame', box(4, 0.15, 0.8), 'Lack RAL 5015', [0, 0.7, 0]),
      model.part('belt', box(3.9, 0.05, 0.7), beltMaterial, [0, 0.8, 0]),
      model.part('drive roller', cylinder(0.1, 0.7, 2), 'Stahl', [1.9, 0.8, 0]),
      model.part('idler roller', cylinder(0.1, 0.7, 2), 'Stahl', [-1.9, 0.8, 0]),
      ...legs.map(({ x, z }, index) => model.part(`leg ${index + 1}`, box(0.08, 0.625, 0.08), 'Lack RAL 5015', [x, 0.3125, z])),
    ]),
  ]);
  return { model, png };
}

/** A welding cell: fence panels, a table and a robot pedestal, each its own root node. 3 × 2 × 3 m. */
function weldingCell(): ModelBuilder {
  const model = new ModelBuilder();
  model.scene([
    model.part('Schutzzaun links', box(0.05, 2, 3), 'Lack RAL 1003', [-1.475, 1, 0]),
    model.part('Schutzzaun rechts', box(0.05, 2, 3), 'Lack RAL 1003', [1.475, 1, 0]),
    model.part('Schutzzaun hinten', box(2.9, 2, 0.05), 'Lack RAL 1003', [0, 1, -1.475]),
    model.part('Schweisstisch', box(1.2, 0.9, 0.8), 'Stahl', [0.4, 0.45, 0.6]),
    model.part('Sockel', cylinder(0.3, 0.6, 1), 'Lack RAL 7035', [-0.6, 0.3, -0.5]),
  ]);
  return model;
}

/**
 * A press exported in millimetres with z up, as many CAD systems write: every length × 1000, height
 * along z. Read with `units: mm` and `up: z` it is 2.4 m wide (x), 3.6 m tall and 1.8 m deep.
 */
function pressInMillimetres(): ModelBuilder {
  const model = new ModelBuilder();
  // Sizes and places are (x, y, z) with z up; y runs from the front (-) to the back (+).
  const mm = (x: number, y: number, z: number): [number, number, number] => [x, y, z];
  model.scene([
    model.part('006512-3 - Teil 1', box(2400, 1800, 500), 'Lack RAL 7035', mm(0, 0, 250)),
    model.part('006512-3 - Teil 2', box(300, 600, 2500), 'Lack RAL 5015', mm(-1000, 300, 1750)),
    model.part('006512-3 - Teil 3', box(300, 600, 2500), 'Lack RAL 5015', mm(1000, 300, 1750)),
    model.part('006512-3 - Teil 4', box(2400, 900, 600), 'Lack RAL 5015', mm(0, 450, 3300)),
    model.part('006512-3 - Teil 5', box(1500, 700, 400), 'Stahl', mm(0, 350, 2200)),
    // A control cabinet at the front: the part that shows whether front and back were kept apart.
    model.part('006512-3 - Teil 6', box(500, 300, 1400), 'Lack RAL 7035', mm(900, -750, 1200)),
  ]);
  return model;
}

// ---------------------------------------------------------------------------------------------
// Writing.

/** An I/O with every extension the fixtures use and the encoders they need. */
async function fixtureIo(): Promise<NodeIO> {
  await MeshoptEncoder.ready;
  return new NodeIO()
    .registerExtensions([EXTMeshoptCompression, EXTTextureWebP, KHRDracoMeshCompression, KHRMaterialsEmissiveStrength, KHRMeshQuantization, KHRTextureBasisu, KHRTextureTransform])
    .registerDependencies({ 'draco3d.encoder': await draco3d.createEncoderModule(), 'meshopt.encoder': MeshoptEncoder });
}

/** A GLB cut off halfway through its binary chunk: what an interrupted copy or download leaves. */
function truncated(glb: Uint8Array): Uint8Array {
  return glb.slice(0, Math.floor(glb.byteLength / 2));
}

/** A well-formed GLB container whose JSON chunk is not JSON: what a broken exporter leaves. */
function badJsonChunk(): Uint8Array {
  const json = new TextEncoder().encode('{"asset":{"version":"2.0"},"nodes":[{"name":"006435-1 - Teil 1",}');
  const padded = Math.ceil(json.byteLength / 4) * 4;
  const bytes = new Uint8Array(12 + 8 + padded).fill(0x20);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x46546c67, true); // "glTF"
  view.setUint32(4, 2, true);
  view.setUint32(8, bytes.byteLength, true);
  view.setUint32(12, padded, true);
  view.setUint32(16, 0x4e4f534a, true); // "JSON"
  bytes.set(json, 20);
  return bytes;
}

/** Every fixture file by name, as bytes. */
export async function buildCadFixtures(): Promise<Map<string, Uint8Array>> {
  const io = await fixtureIo();
  const files = new Map<string, Uint8Array>();
  const milling = await io.writeBinary(millingMachine().document);
  files.set('milling-machine-draco.glb', milling);
  files.set('robot-meshopt.glb', await io.writeBinary(robot().document));
  files.set('agv-ktx2.glb', await io.writeBinary((await agv()).document));
  const { model } = conveyor();
  const written = await io.writeJSON(model.document);
  files.set('conveyor.gltf', new TextEncoder().encode(`${JSON.stringify(written.json, null, 2)}\n`));
  for (const [uri, bytes] of Object.entries(written.resources)) files.set(uri, bytes);
  files.set('welding-cell.glb', await io.writeBinary(weldingCell().document));
  files.set('press-mm-zup.glb', await io.writeBinary(pressInMillimetres().document));
  files.set('broken-truncated.glb', truncated(await io.writeBinary(weldingCell().document)));
  files.set('broken-json.glb', badJsonChunk());
  return files;
}

/** The folder the fixtures are committed in. */
export const fixtureDirectory = new URL('../e2e/fixtures/cad/', import.meta.url);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(fixtureDirectory, { recursive: true });
  for (const [name, bytes] of await buildCadFixtures()) {
    writeFileSync(new URL(name, fixtureDirectory), bytes);
    console.log(`wrote ${fileURLToPath(new URL(name, fixtureDirectory))} (${bytes.byteLength} bytes)`);
  }
}
