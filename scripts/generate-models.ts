#!/usr/bin/env node
// Builds the demo plant's machine models from three.js primitives and writes them as GLB files to
// models/. Run with `npm run models`. The output is deterministic: same code, same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BoxGeometry, CylinderGeometry, type BufferGeometry, Group, Mesh, MeshStandardMaterial, type Object3D, TorusGeometry } from 'three';
import { GLTFExporter } from 'three/examples/jsm/exporters/GLTFExporter.js';
import { modelKinds } from './model-kinds.ts';

// GLTFExporter turns Blobs into ArrayBuffers with the browser's FileReader, which Node lacks.
class BlobReader {
  result: ArrayBuffer | string | null = null;
  onloadend: (() => void) | null = null;
  readAsArrayBuffer(blob: Blob): void {
    void blob.arrayBuffer().then((buffer) => {
      this.result = buffer;
      this.onloadend?.();
    });
  }
  readAsDataURL(blob: Blob): void {
    void blob.arrayBuffer().then((buffer) => {
      this.result = `data:${blob.type || 'application/octet-stream'};base64,${Buffer.from(buffer).toString('base64')}`;
      this.onloadend?.();
    });
  }
}
(globalThis as unknown as { FileReader: unknown }).FileReader ??= BlobReader;

const material = (name: string, color: string, metalness: number, roughness: number) => new MeshStandardMaterial({ name, color, metalness, roughness });

/** Muted industrial colours: colour is for health states, so the models stay calm. */
const paint = {
  steel: material('steel', '#9aa1a9', 0.55, 0.4),
  darkSteel: material('dark-steel', '#50565e', 0.5, 0.55),
  frame: material('frame-blue', '#3f5f86', 0.25, 0.55),
  yellow: material('safety-yellow', '#d9a91a', 0.15, 0.5),
  refractory: material('refractory', '#7c4a36', 0.05, 0.9),
  graphite: material('graphite', '#2d3034', 0.3, 0.7),
  copper: material('copper', '#b0703d', 0.7, 0.35),
  orange: material('robot-orange', '#d9641e', 0.2, 0.45),
  concrete: material('concrete', '#767a80', 0, 0.95),
  water: material('level-blue', '#2f8fc4', 0.1, 0.3),
  glass: new MeshStandardMaterial({ name: 'sight-glass', color: '#cfe3ee', metalness: 0, roughness: 0.1, transparent: true, opacity: 0.35 }),
  hot: material('hot-steel', '#c9622f', 0.4, 0.5),
  rubber: material('rubber', '#26282b', 0, 0.85),
};

function mesh(name: string, geometry: BufferGeometry, paintMaterial: MeshStandardMaterial, x = 0, y = 0, z = 0): Mesh {
  const result = new Mesh(geometry, paintMaterial);
  result.name = name;
  result.position.set(x, y, z);
  return result;
}

/** A box standing on y = `bottom`. */
const box = (name: string, width: number, height: number, depth: number, paintMaterial: MeshStandardMaterial, x = 0, bottom = 0, z = 0) =>
  mesh(name, new BoxGeometry(width, height, depth), paintMaterial, x, bottom + height / 2, z);

/** A vertical cylinder standing on y = `bottom`. */
const post = (name: string, radiusTop: number, radiusBottom: number, height: number, paintMaterial: MeshStandardMaterial, x = 0, bottom = 0, z = 0, segments = 32) =>
  mesh(name, new CylinderGeometry(radiusTop, radiusBottom, height, segments), paintMaterial, x, bottom + height / 2, z);

/** A cylinder lying along the z axis, centred at its position (so rotating about z spins it in place). */
function rollerAlongZ(name: string, radius: number, length: number, paintMaterial: MeshStandardMaterial, x = 0, y = 0, z = 0): Mesh {
  const result = mesh(name, new CylinderGeometry(radius, radius, length, 24), paintMaterial, x, y, z);
  result.rotation.x = Math.PI / 2;
  return result;
}

/** A cylinder lying along the x axis, centred at its position. */
function rollerAlongX(name: string, radius: number, length: number, paintMaterial: MeshStandardMaterial, x = 0, y = 0, z = 0): Mesh {
  const result = mesh(name, new CylinderGeometry(radius, radius, length, 24), paintMaterial, x, y, z);
  result.rotation.z = Math.PI / 2;
  return result;
}

function group(name: string, children: Object3D[], x = 0, y = 0, z = 0): Group {
  const result = new Group();
  result.name = name;
  result.position.set(x, y, z);
  result.add(...children);
  return result;
}

function furnace(): Group {
  const electrodes = group(
    'electrodes',
    [
      ...[0, 1, 2].map((index) => {
        const angle = (index / 3) * Math.PI * 2 + Math.PI / 6;
        return post(`electrode-${index + 1}`, 0.24, 0.24, 3.4, paint.graphite, Math.cos(angle) * 0.75, 0, Math.sin(angle) * 0.75, 20);
      }),
      box('electrode-arms', 0.5, 0.35, 3.6, paint.copper, -1.3, 2.6, 0),
      box('electrode-mast', 0.6, 3.2, 0.6, paint.frame, -2.3, 0.2, 0),
    ],
    0,
    3.2,
    0,
  );
  const roof = group('roof', [post('roof-dome', 1.9, 2.85, 0.6, paint.darkSteel), post('roof-ring', 2.95, 2.95, 0.15, paint.steel), post('fume-duct', 0.45, 0.45, 1.1, paint.darkSteel, 1.1, 0.4, -0.9)], 0, 2.75, 0);
  return group('furnace', [
    box('plinth', 7.2, 0.5, 7.2, paint.concrete),
    post('shell', 2.75, 2.45, 2.25, paint.refractory, 0, 0.5, 0),
    post('shell-band', 2.8, 2.8, 0.25, paint.steel, 0, 1.6, 0),
    box('tapping-spout', 1.6, 0.35, 0.7, paint.refractory, 3.0, 1.3, 0),
    box('control-platform', 1.8, 0.15, 5.0, paint.yellow, -3.4, 1.5, 0),
    roof,
    electrodes,
  ]);
}

function ladle(): Group {
  const rim = mesh('ladle-rim', new TorusGeometry(1.35, 0.09, 10, 40), paint.steel, 0, 2.3, 0);
  rim.rotation.x = Math.PI / 2;
  const body = group(
    'ladle-body',
    [
      post('ladle-shell', 1.35, 1.1, 2.3, paint.darkSteel, 0, 0, 0),
      rim,
      post('molten-steel', 1.22, 1.22, 0.05, paint.hot, 0, 2.2, 0),
      rollerAlongZ('trunnions', 0.14, 3.1, paint.steel, 0, 1.6, 0),
    ],
    0,
    0.75,
    0,
  );
  const wheels = [-1.2, 1.2].flatMap((x) => [-1.05, 1.05].map((z, index) => rollerAlongZ(`wheel-${x < 0 ? 'a' : 'b'}${index + 1}`, 0.28, 0.2, paint.rubber, x, 0.28, z)));
  const car = group('car', [box('car-deck', 3.4, 0.45, 2.4, paint.yellow, 0, 0.3, 0), ...wheels, body]);
  return group('ladle', [box('rails', 5.0, 0.08, 2.3, paint.steel), car]);
}

function caster(): Group {
  const strand = [0, 1, 2, 3, 4, 5, 6].map((index) => {
    // The strand bends from vertical under the mould to horizontal at the exit.
    const angle = (index / 6) * (Math.PI / 2);
    const segment = box(`strand-segment-${index + 1}`, 1.0, 0.35, 1.1, paint.hot, 0, 0, 0);
    segment.position.set(-2.2 + Math.sin(angle) * 3.6, 4.2 - (1 - Math.cos(angle)) * 3.6 - 0.2, 0);
    segment.rotation.z = -angle + Math.PI / 2;
    return segment;
  });
  const rolls = group('strand-rolls', [rollerAlongZ('withdrawal-roll', 0.32, 1.7, paint.steel), rollerAlongZ('withdrawal-roll-shaft', 0.12, 2.2, paint.darkSteel)], 2.3, 1.0, 0);
  return group('caster', [
    box('platform', 3.6, 0.2, 3.0, paint.yellow, -2.2, 5.2, 0),
    ...[-3.6, -0.8].flatMap((x) => [-1.3, 1.3].map((z, index) => box(`platform-leg-${x < -2 ? 'a' : 'b'}${index + 1}`, 0.25, 5.2, 0.25, paint.frame, x, 0, z))),
    box('tundish', 2.8, 0.9, 1.3, paint.refractory, -2.2, 5.4, 0),
    box('mould', 0.9, 1.0, 1.2, paint.copper, -2.2, 4.2, 0),
    box('segment-frame', 4.8, 3.4, 0.3, paint.frame, -0.2, 0.6, -0.9),
    ...strand,
    box('exit-table', 4.0, 0.6, 1.4, paint.darkSteel, 3.6, 0, 0),
    box('slab', 3.6, 0.25, 1.0, paint.hot, 3.8, 0.6, 0),
    rolls,
  ]);
}

function rollStand(): Group {
  const housing = (side: number) => group(`housing-${side < 0 ? 'operator' : 'drive'}`, [box('post-front', 0.45, 4.2, 0.9, paint.frame, -0.55, 0, 0), box('post-back', 0.45, 4.2, 0.9, paint.frame, 0.55, 0, 0), box('cap', 1.6, 0.5, 1.0, paint.frame, 0, 4.2, 0)], 0, 0.3, side * 1.55);
  return group('roll-stand', [
    box('sole-plate', 2.2, 0.3, 4.0, paint.concrete),
    housing(-1),
    housing(1),
    rollerAlongZ('backup-roll-top', 0.62, 2.6, paint.steel, 0, 3.05, 0),
    rollerAlongZ('backup-roll-bottom', 0.62, 2.6, paint.steel, 0, 1.0, 0),
    group('work-roll-top', [rollerAlongZ('work-roll-top-barrel', 0.34, 2.8, paint.darkSteel)], 0, 2.25, 0),
    group('work-roll-bottom', [rollerAlongZ('work-roll-bottom-barrel', 0.34, 2.8, paint.darkSteel)], 0, 1.6, 0),
    rollerAlongZ('spindle', 0.16, 1.6, paint.steel, 0, 1.9, -2.6),
    box('gearbox', 1.2, 1.4, 1.0, paint.frame, 0, 0.3, -3.7),
    rollerAlongZ('drive-motor', 0.55, 1.5, paint.frame, 0, 1.2, -4.9),
    box('motor-foot', 1.2, 0.6, 1.5, paint.darkSteel, 0, 0, -4.9),
  ]);
}

function coolingBed(): Group {
  const rails = (prefix: string, paintMaterial: MeshStandardMaterial, offset: number) =>
    Array.from({ length: 16 }, (_, index) => box(`${prefix}-${index + 1}`, 0.12, 0.25, 4.0, paintMaterial, -4.6 + index * 0.62 + offset, 0, 0));
  const bars = Array.from({ length: 9 }, (_, index) => rollerAlongX(`bar-${index + 1}`, 0.07, 9.4, paint.hot, 0, 1.05, -1.6 + index * 0.4));
  return group('cooling-bed', [
    box('bed-frame', 10.2, 0.7, 4.2, paint.darkSteel),
    group('fixed-rails', rails('fixed-rail', paint.steel, 0), 0, 0.7, 0),
    group('walking-beam', rails('walking-rail', paint.frame, 0.31), 0, 0.7, 0),
    ...bars,
  ]);
}

function conveyor(): Group {
  const rollers = Array.from({ length: 13 }, (_, index) => rollerAlongZ(`roller-${index + 1}`, 0.16, 1.5, paint.steel, -2.6 + index * 0.4, 0.95, 0));
  const legs = [-2.6, 0, 2.6].flatMap((x) => [-0.85, 0.85].map((z) => box(`leg-${x}-${z}`, 0.15, 0.8, 0.15, paint.frame, x, 0, z)));
  return group('conveyor', [
    ...legs,
    box('side-beam-near', 6.0, 0.3, 0.15, paint.frame, 0, 0.8, 0.85),
    box('side-beam-far', 6.0, 0.3, 0.15, paint.frame, 0, 0.8, -0.85),
    group('rollers', rollers),
    group('drive-drum', [rollerAlongZ('drive-drum-shell', 0.24, 1.5, paint.darkSteel)], 3.1, 0.95, 0),
    rollerAlongZ('drive-motor', 0.22, 0.6, paint.frame, 3.1, 0.95, -1.25),
  ]);
}

function robot(): Group {
  const forearm = group('forearm', [box('forearm-beam', 1.2, 0.24, 0.24, paint.orange, 0.55, -0.12, 0), rollerAlongX('wrist', 0.1, 0.3, paint.darkSteel, 1.25, 0, 0), box('gripper', 0.12, 0.3, 0.25, paint.darkSteel, 1.45, -0.15, 0)], 0, 1.15, 0);
  const upperArm = group('upper-arm', [box('upper-arm-beam', 0.3, 1.2, 0.3, paint.orange, 0, 0, 0), rollerAlongZ('elbow', 0.18, 0.42, paint.darkSteel, 0, 1.15, 0), forearm], 0, 0.45, 0);
  upperArm.rotation.z = -0.25;
  const turret = group('turret', [post('turret-base', 0.38, 0.42, 0.4, paint.orange), rollerAlongZ('shoulder', 0.22, 0.5, paint.darkSteel, 0, 0.45, 0), upperArm], 0, 0.55, 0);
  return group('robot', [box('safety-floor', 3.2, 0.04, 3.2, paint.yellow), post('pedestal', 0.42, 0.5, 0.55, paint.darkSteel), turret]);
}

function pump(): Group {
  const flange = (name: string, x: number, y: number, z: number, vertical: boolean) => {
    const ring = mesh(name, new TorusGeometry(0.2, 0.04, 8, 24), paint.steel, x, y, z);
    if (vertical) ring.rotation.x = Math.PI / 2;
    else ring.rotation.y = Math.PI / 2;
    return ring;
  };
  return group('pump', [
    box('baseplate', 2.6, 0.15, 0.9, paint.frame),
    rollerAlongZ('volute', 0.42, 0.35, paint.frame, -0.85, 0.6, 0),
    rollerAlongX('suction-pipe', 0.15, 0.9, paint.steel, -1.5, 0.6, 0),
    flange('suction-flange', -1.95, 0.6, 0, false),
    post('discharge-pipe', 0.13, 0.13, 0.9, paint.steel, -0.85, 0.95, 0),
    flange('discharge-flange', -0.85, 1.85, 0, true),
    box('bearing-frame', 0.45, 0.35, 0.35, paint.darkSteel, -0.35, 0.3, 0),
    group('coupling', [rollerAlongX('coupling-hub', 0.13, 0.3, paint.yellow), box('coupling-key', 0.3, 0.05, 0.05, paint.darkSteel, 0, 0.13, 0)], 0.05, 0.5, 0),
    rollerAlongX('motor', 0.3, 0.95, paint.frame, 0.75, 0.5, 0),
    box('motor-terminal-box', 0.25, 0.18, 0.22, paint.darkSteel, 0.75, 0.78, 0),
    ...Array.from({ length: 6 }, (_, index) => mesh(`motor-fin-${index + 1}`, new TorusGeometry(0.31, 0.015, 6, 28), paint.frame, 0.4 + index * 0.14, 0.5, 0)).map((fin) => {
      fin.rotation.y = Math.PI / 2;
      return fin;
    }),
  ]);
}

function tank(): Group {
  const ladderRails = [-0.22, 0.22].map((z, index) => box(`ladder-rail-${index + 1}`, 0.05, 5.3, 0.05, paint.yellow, -1.62, 0, z));
  const rungs = Array.from({ length: 14 }, (_, index) => box(`ladder-rung-${index + 1}`, 0.04, 0.04, 0.44, paint.yellow, -1.62, 0.3 + index * 0.36, 0));
  const level = group('level-indicator', [box('level-column', 0.1, 4.5, 0.1, paint.water, 0, 0, 0)], 1.62, 0.35, 0);
  return group('tank', [
    post('foundation', 1.7, 1.7, 0.2, paint.concrete),
    post('shell', 1.5, 1.5, 4.8, paint.steel, 0, 0.2, 0, 40),
    post('roof-cone', 0.25, 1.55, 0.6, paint.steel, 0, 5.0, 0, 40),
    post('stiffener-ring-1', 1.53, 1.53, 0.08, paint.darkSteel, 0, 1.8, 0, 40),
    post('stiffener-ring-2', 1.53, 1.53, 0.08, paint.darkSteel, 0, 3.4, 0, 40),
    ...ladderRails,
    ...rungs,
    box('gauge-glass', 0.16, 4.6, 0.16, paint.glass, 1.62, 0.3, 0),
    level,
    rollerAlongX('outlet-pipe', 0.12, 1.0, paint.darkSteel, 1.9, 0.5, 0.7),
  ]);
}

const builders: Record<string, () => Group> = {
  furnace,
  ladle,
  caster,
  'roll-stand': rollStand,
  'cooling-bed': coolingBed,
  conveyor,
  robot,
  pump,
  tank,
};

/** Builds one kind's model and returns its GLB bytes. */
export async function buildModelBytes(kind: string): Promise<Uint8Array> {
  const build = builders[kind];
  if (!build) throw new Error(`no model builder for kind "${kind}"`);
  const exported = await new GLTFExporter().parseAsync(build(), { binary: true });
  return new Uint8Array(exported as ArrayBuffer);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const folder = fileURLToPath(new URL('../models/', import.meta.url));
  mkdirSync(folder, { recursive: true });
  for (const { kind, file } of modelKinds) {
    const bytes = await buildModelBytes(kind);
    writeFileSync(folder + file, bytes);
    console.log(`wrote models/${file} (${(bytes.byteLength / 1024).toFixed(1)} KiB)`);
  }
}
