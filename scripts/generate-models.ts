#!/usr/bin/env node
// Builds the demo steel mill's machine models from three.js primitives and writes them as GLB files
// to models/. Run with `npm run models`. The output is deterministic: same code, same bytes.
//
// Conventions every model follows, because the plant file and the renderer rely on them:
// metres, y up, origin on the floor under the machine; a node that the demo plant animates rests at
// the value its animation starts from (property animations set absolute values, not offsets).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  BoxGeometry,
  type BufferGeometry,
  CylinderGeometry,
  Euler,
  ExtrudeGeometry,
  Group,
  LatheGeometry,
  Matrix4,
  Mesh,
  MeshStandardMaterial,
  type Object3D,
  Path,
  QuadraticBezierCurve3,
  Quaternion,
  Shape,
  TorusGeometry,
  TubeGeometry,
  Vector2,
  Vector3,
} from 'three';
import { GLTFExporter } from 'three/examples/jsm/exporters/GLTFExporter.js';
import { mergeGeometries, mergeVertices } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import { modelKinds } from './model-kinds.ts';

// GLTFExporter turns its Blob into an ArrayBuffer with the browser's FileReader, which Node lacks.
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

// ---------------------------------------------------------------------------------------------
// Materials. Muted, because the viewer tints machines by health: the paint must not shout.
// Metalness stays low since the viewer has no environment map to reflect, and bare metal would go black.

const finish = (name: string, color: string, metalness: number, roughness: number) => new MeshStandardMaterial({ name, color, metalness, roughness });

const paint = {
  steel: finish('steel', '#8f969e', 0.35, 0.45),
  darkSteel: finish('dark-steel', '#50565e', 0.3, 0.6),
  frame: finish('frame-blue-grey', '#3f5165', 0.2, 0.6),
  machine: finish('machine-blue', '#3a6488', 0.2, 0.5),
  motor: finish('motor-grey', '#6b7a86', 0.25, 0.5),
  yellow: finish('safety-yellow', '#d8a31a', 0.1, 0.55),
  orange: finish('robot-orange', '#dd6a1f', 0.15, 0.45),
  refractory: finish('refractory', '#7d4636', 0.02, 0.9),
  graphite: finish('graphite', '#2e3034', 0.2, 0.75),
  copper: finish('copper', '#a86a40', 0.5, 0.4),
  hot: finish('hot-steel', '#ec7a2c', 0.1, 0.5),
  glowing: finish('glowing-steel', '#c4502a', 0.15, 0.55),
  cooling: finish('cooling-steel', '#7a3e2e', 0.2, 0.6),
  cold: finish('cold-steel', '#5d6166', 0.35, 0.5),
  concrete: finish('concrete', '#72767b', 0, 0.95),
  rubber: finish('rubber', '#26282b', 0, 0.85),
  tank: finish('tank-paint', '#b3b8be', 0.1, 0.6),
  cabinet: finish('cabinet-grey', '#c4c7ca', 0.1, 0.55),
  handwheel: finish('handwheel-red', '#8f3028', 0.2, 0.5),
  dial: finish('dial-white', '#e4e4de', 0, 0.6),
  water: finish('level-blue', '#2f8cc2', 0.1, 0.3),
  glass: new MeshStandardMaterial({ name: 'sight-glass', color: '#cfe3ee', metalness: 0, roughness: 0.1, transparent: true, opacity: 0.3 }),
};

type Paint = MeshStandardMaterial;

// ---------------------------------------------------------------------------------------------
// Geometry. Every factory returns indexed geometry with positions and normals only: without
// textures, texture coordinates would be a third of each file for nothing. Welding also folds the
// duplicates three's primitives carry (a cylinder cap has a centre vertex per segment).

type Triple = readonly [number, number, number];
type Axis = 'x' | 'y' | 'z';
const origin: Triple = [0, 0, 0];

function tidy(geometry: BufferGeometry): BufferGeometry {
  geometry.deleteAttribute('uv');
  const welded = mergeVertices(geometry);
  // Welding collapses the triangles at a lathe's pole (radius 0) to slivers of no area: drop them.
  const index = welded.getIndex()!;
  const kept: number[] = [];
  for (let corner = 0; corner < index.count; corner += 3) {
    const [a, b, c] = [index.getX(corner), index.getX(corner + 1), index.getX(corner + 2)];
    if (a !== b && b !== c && a !== c) kept.push(a, b, c);
  }
  welded.setIndex(kept);
  return welded;
}

/** Turns a geometry built along y to lie along `axis`; its +y end becomes the +axis end. */
function along(geometry: BufferGeometry, axis: Axis): BufferGeometry {
  if (axis === 'x') geometry.rotateZ(-Math.PI / 2);
  if (axis === 'z') geometry.rotateX(Math.PI / 2);
  return geometry;
}

const block = (width: number, height: number, depth: number) => tidy(new BoxGeometry(width, height, depth));

/** A cylinder centred on the origin; `endRadius` is the radius at the +axis end. */
function cylinder(radius: number, length: number, axis: Axis = 'y', segments = 24, endRadius = radius, open = false): BufferGeometry {
  return tidy(along(new CylinderGeometry(endRadius, radius, length, segments, 1, open), axis));
}

/** A ring around `axis` (a flange, a hoop, a handwheel). */
function ring(radius: number, tube: number, axis: Axis = 'y', tubularSegments = 32, radialSegments = 8, arc = Math.PI * 2): BufferGeometry {
  const geometry = new TorusGeometry(radius, tube, radialSegments, tubularSegments, arc);
  if (axis === 'y') geometry.rotateX(Math.PI / 2);
  if (axis === 'x') geometry.rotateY(Math.PI / 2);
  return tidy(geometry);
}

/** A solid of revolution about y from a profile of [radius, height] points. */
function lathe(profile: ReadonlyArray<readonly [number, number]>, segments = 40, phiStart = 0, phiLength = Math.PI * 2): BufferGeometry {
  return tidy(new LatheGeometry(profile.map(([radius, height]) => new Vector2(radius, height)), segments, phiStart, phiLength));
}

/** A flat outline in the x–y plane extruded `depth` along z, centred on z = 0; `holes` are cut through it. */
function prism(outline: ReadonlyArray<readonly [number, number]>, depth: number, holes: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = []): BufferGeometry {
  const shape = new Shape(outline.map(([x, y]) => new Vector2(x, y)));
  for (const hole of holes) shape.holes.push(new Path(hole.map(([x, y]) => new Vector2(x, y))));
  const geometry = new ExtrudeGeometry(shape, { depth, bevelEnabled: false, curveSegments: 8 });
  geometry.translate(0, 0, -depth / 2);
  return tidy(geometry);
}

/** A box whose top is smaller than its bottom (a tundish, a robot link), standing on y = 0. */
function frustum(bottomWidth: number, bottomDepth: number, topWidth: number, topDepth: number, height: number): BufferGeometry {
  const geometry = new BoxGeometry(1, 1, 1);
  const position = geometry.getAttribute('position');
  for (let index = 0; index < position.count; index++) {
    const top = position.getY(index) > 0;
    position.setXYZ(index, position.getX(index) * (top ? topWidth : bottomWidth), top ? height : 0, position.getZ(index) * (top ? topDepth : bottomDepth));
  }
  geometry.computeVertexNormals();
  return tidy(geometry);
}

/** A cylinder with `ribs` cooling fins around it, like a motor frame. */
function ribbed(radius: number, depth: number, ribs: number, length: number, axis: Axis = 'y'): BufferGeometry {
  const geometry = new CylinderGeometry(radius, radius, length, ribs * 2, 1);
  const position = geometry.getAttribute('position');
  const step = Math.PI / ribs;
  for (let index = 0; index < position.count; index++) {
    const x = position.getX(index);
    const z = position.getZ(index);
    if (Math.hypot(x, z) < radius / 2) continue;
    const segment = Math.round(Math.atan2(x, z) / step);
    if (segment % 2 !== 0) position.setXYZ(index, x * (1 - depth / radius), position.getY(index), z * (1 - depth / radius));
  }
  geometry.computeVertexNormals();
  return tidy(along(geometry, axis));
}

/** A copy of `geometry` moved to `at` and turned by the Euler angles `turn`. */
function piece(geometry: BufferGeometry, at: Triple = origin, turn: Triple = origin): BufferGeometry {
  const matrix = new Matrix4().compose(new Vector3(...at), new Quaternion().setFromEuler(new Euler(...turn)), new Vector3(1, 1, 1));
  return geometry.clone().applyMatrix4(matrix);
}

/** A round bar from `from` to `to` (posts, rails, struts); thin ones go without end caps nobody could see. */
function rod(from: Triple, to: Triple, radius: number, segments = 8): BufferGeometry {
  const start = new Vector3(...from);
  const direction = new Vector3(...to).sub(start);
  const geometry = new CylinderGeometry(radius, radius, direction.length(), segments, 1, radius < 0.05);
  geometry.applyQuaternion(new Quaternion().setFromUnitVectors(new Vector3(0, 1, 0), direction.clone().normalize()));
  geometry.translate(start.x + direction.x / 2, start.y + direction.y / 2, start.z + direction.z / 2);
  return tidy(geometry);
}

/** A pipe through `points`, with a smooth bend at each inner point. */
function pipe(points: readonly Triple[], radius: number, bend = radius * 2.5, segments = 14): BufferGeometry {
  const corners = points.map((point) => new Vector3(...point));
  const pieces: BufferGeometry[] = [];
  let start = corners[0]!;
  for (let index = 1; index < corners.length; index++) {
    const corner = corners[index]!;
    const next = corners[index + 1];
    if (!next) {
      pieces.push(rod(start.toArray(), corner.toArray(), radius, segments));
      break;
    }
    const into = corner.clone().sub(start).normalize();
    const out = next.clone().sub(corner).normalize();
    const bendStart = corner.clone().addScaledVector(into, -bend);
    const bendEnd = corner.clone().addScaledVector(out, bend);
    if (bendStart.distanceTo(start) > 1e-6) pieces.push(rod(start.toArray(), bendStart.toArray(), radius, segments));
    pieces.push(tidy(new TubeGeometry(new QuadraticBezierCurve3(bendStart, corner, bendEnd), 8, radius, segments, false)));
    start = bendEnd;
  }
  return mergeAll(pieces);
}

/** A wavy profile from `from` to `to` ([radius, height]): water-cooled panels are rows of pipes, and ripples read as pipes. */
function rippled(from: readonly [number, number], to: readonly [number, number], ripples: number, height = 0.07): Array<[number, number]> {
  const [fromRadius, fromHeight] = from;
  const [toRadius, toHeight] = to;
  const length = Math.hypot(toRadius - fromRadius, toHeight - fromHeight);
  const outward = [(toHeight - fromHeight) / length, -(toRadius - fromRadius) / length] as const;
  return Array.from({ length: ripples * 2 + 1 }, (_, index): [number, number] => {
    const t = index / (ripples * 2);
    const bulge = index % 2 === 1 ? height : 0;
    return [fromRadius + (toRadius - fromRadius) * t + outward[0] * bulge, fromHeight + (toHeight - fromHeight) * t + outward[1] * bulge];
  });
}

/** A bar of rectangular section bent around the z axis: `radius` to its middle, `thickness` radially, `width` along z. */
function curvedBar(radius: number, thickness: number, width: number, fromAngle: number, toAngle: number, segments = 24): BufferGeometry {
  // Four lathes of one segment each, so that every face keeps a flat, true normal.
  const inner = radius - thickness / 2;
  const outer = radius + thickness / 2;
  const half = width / 2;
  const faces: Array<Array<readonly [number, number]>> = [
    [[outer, -half], [outer, half]],
    [[inner, half], [inner, -half]],
    [[outer, half], [inner, half]],
    [[inner, -half], [outer, -half]],
  ];
  // Turning the lathe's axis onto z this way puts its angle φ at the x–y angle φ (measured from +x towards +y).
  const geometry = mergeAll(faces.map((face) => lathe(face, segments, fromAngle, toAngle - fromAngle)));
  geometry.rotateX(Math.PI / 2);
  geometry.rotateZ(Math.PI / 2);
  return geometry;
}

function mergeAll(pieces: readonly BufferGeometry[]): BufferGeometry {
  if (pieces.length === 1) return pieces[0]!;
  const merged = mergeGeometries([...pieces]);
  if (!merged) throw new Error('pieces with different attributes cannot be merged');
  return merged;
}

// ---------------------------------------------------------------------------------------------
// Scene graph.

/** One mesh made of `pieces` (already placed), in one material. */
function part(name: string, material: Paint, ...pieces: BufferGeometry[]): Mesh {
  const mesh = new Mesh(mergeAll(pieces), material);
  mesh.name = name;
  return mesh;
}

/** A mesh that shares `geometry` with others and is placed by its node, so the file holds the geometry once. */
function copyOf(name: string, geometry: BufferGeometry, material: Paint, at: Triple): Mesh {
  const mesh = new Mesh(geometry, material);
  mesh.name = name;
  mesh.position.set(...at);
  return mesh;
}

function group(name: string, children: readonly Object3D[], at: Triple = origin, turn: Triple = origin): Group {
  const result = new Group();
  result.name = name;
  result.position.set(...at);
  result.rotation.set(...turn);
  if (children.length > 0) result.add(...children);
  return result;
}

/** Posts with a top rail and a knee rail along a path of [x, z] points, standing on y = `floor`. */
function handrail(path: ReadonlyArray<readonly [number, number]>, floor: number, height = 1.0): BufferGeometry[] {
  const pieces: BufferGeometry[] = [];
  path.forEach(([x, z], index) => {
    const previous = path[index - 1];
    if (previous) {
      const [fromX, fromZ] = previous;
      const length = Math.hypot(x - fromX, z - fromZ);
      const posts = Math.max(1, Math.round(length / 1.5));
      for (let post = 1; post < posts; post++) {
        const t = post / posts;
        const px = fromX + (x - fromX) * t;
        const pz = fromZ + (z - fromZ) * t;
        pieces.push(rod([px, floor, pz], [px, floor + height, pz], 0.025, 6));
      }
      pieces.push(rod([fromX, floor + height, fromZ], [x, floor + height, z], 0.03, 6));
      pieces.push(rod([fromX, floor + height / 2, fromZ], [x, floor + height / 2, z], 0.022, 6));
    }
    pieces.push(rod([x, floor, z], [x, floor + height, z], 0.025, 6));
  });
  return pieces;
}

/** A straight ladder between y = `from` and `to`, its rungs along z, centred at (x, z). */
function ladder(x: number, z: number, from: number, to: number, width = 0.45): BufferGeometry[] {
  const pieces = [-1, 1].map((side) => rod([x, from, z + (side * width) / 2], [x, to, z + (side * width) / 2], 0.025, 6));
  for (let height = from + 0.3; height < to - 0.1; height += 0.3) pieces.push(rod([x, height, z - width / 2], [x, height, z + width / 2], 0.016, 5));
  return pieces;
}

/** A six-sided coupling or hub: a smooth round part looks still while it spins, flats show the turning. */
function hexagonal(radius: number, length: number, axis: Axis): BufferGeometry {
  return cylinder(radius, length, axis, 6);
}

const passLine = 1.3; // height of the hot product through the mill: stands and roller tables line up on it

// ---------------------------------------------------------------------------------------------
// The machines.

/** Electric arc furnace: tilting hearth, water-cooled shell and roof, three electrodes on masts. */
function furnace(): Group {
  const shellX = 0.35; // shell centre; the masts stand behind it on -x, the tap hole faces the ladles on +x
  const platformTop = 1.4; // the tilting platform doubles as the walkway around the shell
  const shellTop = 4.1;
  const mastX = -3.35;
  const armY = 7.15;
  const electrodeSpots: Array<readonly [number, number]> = [
    [shellX + 0.8, 0],
    [shellX - 0.4, -0.69],
    [shellX - 0.4, 0.69],
  ];

  const rockerArc = Array.from({ length: 13 }, (_, index): [number, number] => {
    const x = -2.5 + (index / 12) * 5;
    return [x, 0.4 + 9 - Math.sqrt(81 - x * x)];
  });
  const rocker = prism([[-2.5, 1.15], ...rockerArc, [2.5, 1.15]], 0.3);

  // Origin at the roof's seat on the shell, so lifting the roof is a change of position.y alone.
  const roof = group(
    'roof',
    [
      part('roof-ring', paint.darkSteel, cylinder(2.95, 0.25, 'y', 48).translate(0, 0.125, 0)),
      part('roof-panels', paint.steel, lathe([[2.86, 0.25], ...rippled([2.8, 0.25], [1.15, 0.95], 8, 0.035), [1.1, 0.96], [0, 0.96]], 48)),
      part('roof-delta', paint.refractory, lathe([[1.16, 0.9], [1.12, 1.05], [0.95, 1.25], [0, 1.3]], 32)),
      part('electrode-ports', paint.darkSteel, ...electrodeSpots.map(([x, z]) => piece(cylinder(0.42, 0.25, 'y', 20), [x - shellX, 1.3, z]))),
      part(
        'fume-elbow',
        paint.darkSteel,
        pipe(
          [
            [1.55, 0.6, -1.2],
            [1.55, 1.9, -1.2],
            [1.55, 1.9, -3.0],
          ],
          0.42,
          0.75,
          18,
        ),
        piece(ring(0.47, 0.06, 'z', 24, 6), [1.55, 1.9, -3.0]),
      ),
      part(
        'roof-lift-brackets',
        paint.frame,
        ...[-1.9, 1.9].map((z) => piece(block(1.6, 0.4, 0.35), [-3.05, 0.45, z])),
        ...[-1.9, 1.9].map((z) => piece(block(0.35, 0.35, 0.35), [-2.35, 0.2, z])),
      ),
    ],
    [shellX, shellTop, 0],
  );

  // At rest (position.y = 0, as the plant's electrode-position starts) the tips hang inside the shell.
  const electrodes = group('electrodes', [
    part('electrode-columns', paint.graphite, ...electrodeSpots.map(([x, z]) => piece(cylinder(0.29, 4.5, 'y', 20), [x, 3.9 + 2.25, z]))),
    part('electrode-joints', paint.graphite, ...electrodeSpots.map(([x, z]) => piece(cylinder(0.3, 0.06, 'y', 20), [x, 6.3, z]))),
    part('electrode-holders', paint.copper, ...electrodeSpots.map(([x, z]) => piece(cylinder(0.42, 0.55, 'y', 20), [x, armY, z]))),
    part(
      'current-arms',
      paint.copper,
      ...electrodeSpots.map(([x, z]) => {
        const length = x - mastX;
        return piece(block(length, 0.5, 0.38), [mastX + length / 2, armY, z]);
      }),
    ),
    part('mast-columns', paint.frame, ...electrodeSpots.map(([, z]) => piece(block(0.42, 3.6, 0.42), [mastX, armY + 0.35 - 1.8, z]))),
    part(
      'power-cables',
      paint.rubber,
      ...electrodeSpots.map(([, z]) =>
        pipe(
          [
            [mastX - 0.21, armY + 0.05, z],
            [mastX - 0.55, armY + 0.05, z],
            [mastX - 0.75, armY - 1.1, z],
            [mastX - 0.95, armY - 1.1, z],
          ],
          0.09,
          0.3,
          8,
        ),
      ),
    ),
  ]);

  return group('furnace', [
    part('foundation', paint.concrete, piece(block(7.8, 0.3, 6.4), [-0.1, 0.15, 0])),
    part('rocker-rails', paint.steel, ...[-1.6, 1.6].map((z) => piece(block(5.6, 0.1, 0.5), [shellX, 0.35, z]))),
    part('rockers', paint.frame, ...[-1.6, 1.6].map((z) => piece(rocker, [shellX, 0, z]))),
    part('tilting-platform', paint.darkSteel, piece(block(7.4, 0.3, 5.8), [-0.2, platformTop - 0.15, 0])),
    part(
      'walkway-handrails',
      paint.yellow,
      ...handrail(
        [
          [-1.2, 2.85],
          [-3.85, 2.85],
          [-3.85, 1.35],
        ],
        platformTop,
      ),
      ...handrail(
        [
          [-1.2, -2.85],
          [-3.85, -2.85],
          [-3.85, -1.35],
        ],
        platformTop,
      ),
    ),
    part('hearth', paint.refractory, lathe([[0, platformTop], [1.7, platformTop], [2.25, 1.58], [2.58, 1.9], [2.7, 2.25], [2.72, 2.55]], 48).translate(shellX, 0, 0)),
    part('shell-flange', paint.darkSteel, piece(cylinder(2.86, 0.14, 'y', 48), [shellX, 2.62, 0])),
    part('upper-shell', paint.steel, lathe(rippled([2.72, 2.69], [2.78, shellTop], 7), 48).translate(shellX, 0, 0)),
    part('shell-top-ring', paint.darkSteel, piece(cylinder(2.92, 0.12, 'y', 48), [shellX, shellTop - 0.06, 0])),
    part('tapping-bay', paint.refractory, piece(block(1.3, 1.5, 1.7), [shellX + 2.85, 2.15, 0])),
    part('tapping-bay-cover', paint.darkSteel, piece(block(1.4, 0.18, 1.8), [shellX + 2.9, 2.99, 0])),
    part(
      'slag-door',
      paint.darkSteel,
      piece(block(1.4, 1.1, 0.4), [shellX + 0.9, 3.0, 2.55], [0, 0.35, 0]),
      piece(block(0.9, 0.25, 1.0), [shellX + 1.25, 2.35, 3.0], [0.35, 0.35, 0]),
    ),
    part('slag-door-opening', paint.graphite, piece(block(1.0, 0.75, 0.1), [shellX + 0.98, 3.0, 2.78], [0, 0.35, 0])),
    part('mast-guide', paint.frame, piece(block(0.9, 4.3, 2.3), [mastX, platformTop + 2.15, 0]), piece(block(1.1, 0.3, 2.5), [mastX, platformTop + 4.45, 0])),
    roof,
    electrodes,
  ]);
}

/** Steel ladle on its transfer car: the car runs on rails along x, the ladle sits in saddles on it. */
function ladle(): Group {
  const railTop = 0.14;
  const wheelRadius = 0.32;
  const deckBottom = 0.7;
  const deckTop = 1.1;
  const gauge = 1.1;
  const trunnionHeight = 2.15;

  const band = (height: number, radius: number): Array<[number, number]> => [
    [radius, height],
    [radius + 0.06, height + 0.02],
    [radius + 0.06, height + 0.16],
    [radius, height + 0.18],
  ];
  const radiusAt = (height: number) => 1.2 + (0.28 * height) / 2.7;
  const body = group(
    'ladle-body',
    [
      part(
        'ladle-shell',
        paint.darkSteel,
        lathe(
          [
            [0, 0],
            [1.1, 0],
            [1.2, 0.08],
            ...band(0.7, radiusAt(0.7)),
            ...band(1.55, radiusAt(1.55)),
            [radiusAt(2.65), 2.65],
            [1.58, 2.72],
            [1.58, 2.86],
            [1.32, 2.88],
          ],
          48,
        ),
      ),
      part('ladle-lining', paint.refractory, lathe([[1.32, 2.88], [1.26, 2.5], [0, 2.5]], 48)),
      part('molten-steel', paint.hot, piece(cylinder(1.27, 0.04, 'y', 48), [0, 2.54, 0])),
      part(
        'trunnions',
        paint.steel,
        piece(cylinder(0.17, 3.5, 'z', 20), [0, trunnionHeight, 0]),
        ...[-1, 1].map((side) => piece(block(0.55, 0.75, 0.24), [0, trunnionHeight, side * (radiusAt(trunnionHeight) + 0.06)])),
      ),
    ],
    [0, deckTop, 0],
  );

  const wheelSpots = [-1.5, 1.5].flatMap((x) => [-gauge, gauge].map((z): Triple => [x, railTop + wheelRadius, z]));
  const car = group('car', [
    part('car-deck', paint.yellow, piece(block(4.4, deckTop - deckBottom, 3.1), [0, (deckBottom + deckTop) / 2, 0])),
    part('car-skirts', paint.yellow, ...[-1, 1].map((side) => piece(block(4.2, 0.35, 0.1), [0, deckBottom - 0.1, side * (gauge + 0.22)]))),
    part('wheels', paint.darkSteel, ...wheelSpots.map((spot) => piece(cylinder(wheelRadius, 0.15, 'z', 20), spot))),
    part('axles', paint.steel, ...[-1.5, 1.5].map((x) => piece(cylinder(0.07, gauge * 2 + 0.3, 'z', 10), [x, railTop + wheelRadius, 0]))),
    part('drive-gearbox', paint.machine, piece(block(0.55, 0.4, 0.7), [-0.6, 0.5, -0.45]), piece(cylinder(0.17, 0.55, 'z', 16), [-0.6, 0.5, 0.2])),
    part('buffers', paint.darkSteel, ...[-1, 1].flatMap((side) => [-0.95, 0.95].map((z) => piece(cylinder(0.12, 0.3, 'x', 12), [side * 2.35, 0.9, z])))),
    part('buffer-plates', paint.yellow, ...[-1, 1].flatMap((side) => [-0.95, 0.95].map((z) => piece(cylinder(0.19, 0.06, 'x', 16), [side * 2.52, 0.9, z])))),
    part(
      'saddles',
      paint.frame,
      ...[-1, 1].flatMap((side) => [
        piece(block(0.8, deckTop + trunnionHeight - 0.17 - deckTop, 0.34), [0, deckTop + (trunnionHeight - 0.17) / 2, side * 1.62]),
        piece(block(0.2, 0.35, 0.34), [-0.3, deckTop + trunnionHeight, side * 1.62]),
        piece(block(0.2, 0.35, 0.34), [0.3, deckTop + trunnionHeight, side * 1.62]),
      ]),
    ),
    part(
      'cable-reel',
      paint.darkSteel,
      piece(cylinder(0.36, 0.5, 'z', 24), [-1.8, deckTop + 0.55, 0]),
      ...[-0.28, 0.28].map((z) => piece(cylinder(0.46, 0.05, 'z', 24), [-1.8, deckTop + 0.55, z])),
      ...[-0.28, 0.28].map((z) => piece(block(0.3, 0.5, 0.06), [-1.8, deckTop + 0.25, z])),
    ),
    body,
  ]);

  return group('ladle', [
    part(
      'rails',
      paint.steel,
      ...[-gauge, gauge].flatMap((z) => [piece(block(9.0, 0.07, 0.09), [0, railTop - 0.035, z]), piece(block(9.0, 0.07, 0.035), [0, 0.035, z])]),
    ),
    part('rail-stops', paint.yellow, ...[-1, 1].flatMap((side) => [-gauge, gauge].map((z) => piece(block(0.3, 0.45, 0.45), [side * 4.35, 0.225, z])))),
    car,
  ]);
}

/** Continuous caster: tundish on the casting platform, mould, curved strand in segment frames, withdrawal stand and torch cutter. */
function caster(): Group {
  const mouldX = -2.6;
  const radius = 3.6;
  const centreX = mouldX + radius; // centre of the strand's bend
  const centreY = 4.5;
  const strandY = centreY - radius; // where the strand runs out level
  const slabThickness = 0.22;
  const slabWidth = 1.3;
  const deckTop = 5.55;
  const quarter = Math.PI / 2;
  const pointAt = (angle: number, distance: number): Triple => [centreX + Math.cos(angle) * distance, centreY + Math.sin(angle) * distance, 0];

  const roll = cylinder(0.14, 1.8, 'z', 12, 0.14, true);
  const guideRolls: BufferGeometry[] = [];
  for (let step = 0; step <= 14; step++) {
    const angle = Math.PI + (step / 14) * quarter;
    for (const side of [-1, 1]) guideRolls.push(piece(roll, pointAt(angle, radius + side * (slabThickness / 2 + 0.14))));
  }
  const tableRolls = [0.35, 1.5, 2.05, 2.6, 3.15].map((x) => piece(roll, [centreX + x, strandY - slabThickness / 2 - 0.14, 0]));

  const segments: BufferGeometry[] = [];
  for (let segment = 0; segment < 5; segment++) {
    const from = Math.PI + (segment / 5) * quarter + 0.015;
    const to = Math.PI + ((segment + 1) / 5) * quarter - 0.015;
    for (const z of [-0.96, 0.96]) segments.push(curvedBar(radius, 1.1, 0.12, from, to, 6).translate(centreX, centreY, z));
  }

  const withdrawalX = centreX + 0.9;
  const driveRollRadius = 0.26;
  // The demo plant spins this about z (the rolls' axis, across the strand), so its origin is the roll's axis.
  const strandRolls = group(
    'strand-rolls',
    [
      part('drive-roll-barrel', paint.steel, cylinder(driveRollRadius, 1.8, 'z', 24)),
      part('drive-roll-shaft', paint.darkSteel, piece(cylinder(0.09, 1.2, 'z', 12), [0, 0, -1.4])),
      part('drive-roll-coupling', paint.yellow, piece(hexagonal(0.2, 0.22, 'z'), [0, 0, -1.6])),
    ],
    [withdrawalX, strandY - slabThickness / 2 - driveRollRadius, 0],
  );

  const columns: Triple[] = [
    [-4.15, 0, -1.75],
    [-4.15, 0, 1.75],
    [-1.0, 0, -1.75],
    [-1.0, 0, 1.75],
  ];
  const outerEdge = (x: number) => centreY - Math.sqrt((radius + 0.55) ** 2 - (x - centreX) ** 2);
  const bowSupports: Array<readonly [number, number]> = [
    [-2.05, outerEdge(-2.05) + 0.2],
    [-0.6, outerEdge(-0.6) + 0.1],
  ];

  return group('caster', [
    part('casting-platform', paint.darkSteel, piece(block(3.6, 0.15, 3.8), [-2.55, deckTop - 0.075, 0])),
    part(
      'platform-columns',
      paint.frame,
      ...columns.map(([x, , z]) => piece(block(0.3, deckTop - 0.15, 0.3), [x, (deckTop - 0.15) / 2, z])),
      piece(block(3.6, 0.3, 0.3), [-2.55, deckTop - 0.3, -1.75]),
      piece(block(3.6, 0.3, 0.3), [-2.55, deckTop - 0.3, 1.75]),
      ...bowSupports.flatMap(([x, height]) => [-1.1, 1.1].map((z) => piece(block(0.26, height, 0.26), [x, height / 2, z]))),
      ...bowSupports.map(([x, height]) => piece(block(0.26, 0.26, 2.46), [x, height - 0.13, 0])),
    ),
    part(
      'platform-handrail',
      paint.yellow,
      ...handrail(
        [
          [-0.8, -1.85],
          [-4.3, -1.85],
          [-4.3, 1.85],
          [-0.8, 1.85],
        ],
        deckTop,
      ),
    ),
    part('tundish', paint.frame, frustum(2.5, 1.1, 3.1, 1.5, 1.0).translate(mouldX, deckTop + 0.1, 0)),
    part('tundish-cover', paint.refractory, piece(block(3.2, 0.12, 1.6), [mouldX, deckTop + 1.16, 0])),
    part('tundish-car', paint.yellow, ...[-0.95, 0.95].map((z) => piece(block(3.5, 0.3, 0.22), [mouldX, deckTop + 0.38, z]))),
    part('tundish-car-wheels', paint.darkSteel, ...[-1.3, 1.3].flatMap((dx) => [-0.95, 0.95].map((z) => piece(cylinder(0.15, 0.16, 'z', 16), [mouldX + dx, deckTop + 0.15, z])))),
    part(
      'stopper-mechanism',
      paint.steel,
      piece(cylinder(0.07, 1.1, 'y', 10), [mouldX, deckTop + 1.7, 0]),
      piece(block(0.12, 0.12, 1.0), [mouldX, deckTop + 2.2, 0.45]),
      piece(cylinder(0.06, 0.9, 'y', 10), [mouldX, deckTop + 1.75, 0.9]),
    ),
    part('mould', paint.copper, piece(block(0.8, 0.9, slabWidth + 0.3), [mouldX, centreY + 0.45, 0])),
    part('mould-oscillator', paint.darkSteel, piece(block(1.3, 0.3, 2.2), [mouldX, centreY + 0.3, 0])),
    part('strand', paint.hot, curvedBar(radius, slabThickness, slabWidth, Math.PI, Math.PI + quarter, 24).translate(centreX, centreY, 0)),
    part('segment-frames', paint.frame, ...segments),
    part('guide-rolls', paint.steel, ...guideRolls, ...tableRolls),
    part(
      'runout-table',
      paint.frame,
      ...[-0.85, 0.85].map((z) => piece(block(3.6, 0.3, 0.14), [centreX + 1.8, strandY - 0.4, z])),
      ...[0.35, 1.8, 3.25].flatMap((x) => [-0.85, 0.85].map((z) => piece(block(0.16, strandY - 0.55, 0.16), [centreX + x, (strandY - 0.55) / 2, z]))),
    ),
    part('slab', paint.hot, piece(block(3.4, slabThickness, slabWidth), [centreX + 1.7, strandY, 0])),
    part(
      'withdrawal-stand',
      paint.machine,
      ...[-1.05, 1.05].map((z) => piece(block(1.0, 1.75, 0.22), [withdrawalX, 0.875, z])),
      piece(block(1.0, 0.35, 2.32), [withdrawalX, 1.9, 0]),
      ...[-0.6, 0.6].map((z) => piece(cylinder(0.11, 0.45, 'y', 12), [withdrawalX, 2.25, z])),
    ),
    part('pinch-roll', paint.steel, piece(cylinder(driveRollRadius, 1.8, 'z', 24), [withdrawalX, strandY + slabThickness / 2 + driveRollRadius, 0])),
    part(
      'withdrawal-drive',
      paint.motor,
      piece(block(0.6, 0.7, 0.5), [withdrawalX, strandY - slabThickness / 2 - driveRollRadius, -2.0]),
      piece(cylinder(0.25, 0.6, 'z', 20), [withdrawalX, strandY - slabThickness / 2 - driveRollRadius + 0.1, -2.55]),
    ),
    part(
      'torch-cutter',
      paint.yellow,
      ...[-1.15, 1.15].map((z) => piece(block(0.28, 1.7, 0.24), [centreX + 2.8, 0.85, z])),
      piece(block(0.5, 0.35, 2.6), [centreX + 2.8, 1.85, 0]),
    ),
    part('torch-carriage', paint.darkSteel, piece(block(0.4, 0.35, 0.4), [centreX + 2.8, 1.5, 0.3]), piece(cylinder(0.04, 0.35, 'y', 8), [centreX + 2.8, 1.2, 0.3])),
    strandRolls,
  ]);
}

/** Four-high rolling mill stand: two housings, backup and work rolls, spindles, pinion stand and motor on the drive side (-z). */
function rollStand(): Group {
  const workRadius = 0.26;
  const backupRadius = 0.42;
  const gap = 0.04;
  const barrel = 2.2;
  const housingZ = 1.55; // centre of each housing's thickness
  const topWork = passLine + gap / 2 + workRadius;
  const bottomWork = passLine - gap / 2 - workRadius;
  const topBackup = topWork + workRadius + backupRadius;
  const bottomBackup = bottomWork - workRadius - backupRadius;

  const housing = prism(
    [
      [-0.95, 0],
      [0.95, 0],
      [0.95, 3.55],
      [0.75, 3.8],
      [-0.75, 3.8],
      [-0.95, 3.55],
    ],
    0.6,
    [
      [
        [-0.5, 0.15],
        [-0.5, 3.3],
        [0.5, 3.3],
        [0.5, 0.15],
      ],
    ],
  );

  // Each work roll spins about z at its own origin, with its neck, drive coupling and spindle, so the spin shows.
  const workRoll = (name: string, height: number) =>
    group(
      name,
      [
        part(`${name}-barrel`, paint.steel, cylinder(workRadius, barrel, 'z', 28)),
        part(`${name}-necks`, paint.darkSteel, cylinder(0.15, 2 * housingZ + 0.6, 'z', 16)),
        part(`${name}-spindle`, paint.steel, piece(cylinder(0.12, 1.3, 'z', 12), [0, 0, -2.75])),
        part(`${name}-couplings`, paint.yellow, piece(hexagonal(0.22, 0.3, 'z'), [0, 0, -2.0]), piece(hexagonal(0.22, 0.3, 'z'), [0, 0, -3.45])),
      ],
      [0, height, 0],
    );

  const chock = (height: number, tall: number) => [-housingZ, housingZ].map((z) => piece(block(0.98, tall, 0.56), [0, height, z]));

  return group('roll-stand', [
    part('foundation', paint.concrete, piece(block(2.6, 0.12, 4.4), [0, 0.06, 0]), piece(block(2.0, 0.12, 3.8), [0, 0.06, -5.2])),
    part('housings', paint.frame, piece(housing, [0, 0.12, -housingZ]), piece(housing, [0, 0.12, housingZ])),
    part('housing-ties', paint.frame, ...[-0.75, 0.75].map((x) => piece(block(0.3, 0.3, 2 * housingZ - 0.6), [x, 3.7, 0]))),
    part(
      'backup-rolls',
      paint.steel,
      piece(cylinder(backupRadius, barrel, 'z', 32), [0, topBackup, 0]),
      piece(cylinder(backupRadius, barrel, 'z', 32), [0, bottomBackup, 0]),
      piece(cylinder(0.24, 2 * housingZ + 0.5, 'z', 16), [0, topBackup, 0]),
      piece(cylinder(0.24, 2 * housingZ + 0.5, 'z', 16), [0, bottomBackup, 0]),
    ),
    part(
      'chocks',
      paint.darkSteel,
      ...chock(topBackup + 0.05, 0.85),
      ...[-housingZ, housingZ].map((z) => piece(block(0.98, bottomBackup + 0.45 - 0.27, 0.56), [0, (0.27 + bottomBackup + 0.45) / 2, z])),
      ...chock(topWork + 0.02, 0.5),
      ...chock(bottomWork - 0.02, 0.5),
    ),
    part('agc-capsules', paint.steel, ...[-housingZ, housingZ].map((z) => piece(cylinder(0.3, 3.42 - (topBackup + 0.475), 'y', 20), [0, (3.42 + topBackup + 0.475) / 2, z]))),
    part('screwdown-cylinders', paint.steel, ...[-housingZ, housingZ].map((z) => piece(cylinder(0.34, 0.5, 'y', 24), [0, 4.17, z]))),
    part(
      'strip-guides',
      paint.darkSteel,
      ...[-1, 1].map((side) => piece(block(0.6, 0.1, 1.9), [side * 1.25, passLine - 0.1, 0])),
      ...[-1, 1].flatMap((side) => [-0.85, 0.85].map((z) => piece(block(0.6, 0.25, 0.06), [side * 1.25, passLine + 0.05, z]))),
    ),
    part('strip', paint.hot, piece(block(4.0, gap, 1.5), [0, passLine, 0])),
    workRoll('work-roll-top', topWork),
    workRoll('work-roll-bottom', bottomWork),
    part('pinion-stand', paint.machine, piece(block(1.3, 2.3, 0.9), [0, 1.27, -4.0]), piece(block(1.4, 0.12, 1.0), [0, 2.45, -4.0])),
    part('motor-coupling', paint.yellow, piece(hexagonal(0.25, 0.35, 'z'), [0, passLine, -4.65])),
    part('drive-motor', paint.machine, piece(ribbed(0.8, 0.04, 24, 1.8, 'z'), [0, passLine, -5.75])),
    part('motor-end-shields', paint.darkSteel, ...[-4.8, -6.7].map((z) => piece(cylinder(0.72, 0.12, 'z', 32), [0, passLine, z]))),
    part('motor-feet', paint.darkSteel, piece(block(1.7, 0.62, 1.6), [0, 0.43, -5.75])),
    part('motor-cooler', paint.motor, piece(block(1.1, 0.45, 1.3), [0, passLine + 0.95, -5.75])),
    part(
      'roll-change-rails',
      paint.steel,
      ...[-0.45, 0.45].map((x) => piece(block(0.1, 0.08, 1.4), [x, 0.16, housingZ + 1.0])),
    ),
  ]);
}

/** Walking-beam cooling bed: bars lie across it (along z) in notched rakes and walk along x as the beams move. */
function coolingBed(): Group {
  const pitch = 0.5;
  const length = 10;
  const notchY = 1.0;
  const teeth: Array<[number, number]> = [];
  for (let tooth = length / pitch - 1; tooth >= 0; tooth--) {
    const x = -length / 2 + tooth * pitch;
    teeth.push([x + pitch, notchY], [x + pitch - 0.14, notchY + 0.12]);
  }
  const rake = prism(
    [
      [-length / 2, 0.7],
      [length / 2, 0.7],
      ...teeth,
      [-length / 2, notchY],
    ],
    0.1,
  );
  const fixedRows = [-1.8, -0.6, 0.6, 1.8];
  const movingRows = [-1.2, 0, 1.2];

  // Bars cool as they walk from the run-in side (-x) to the exit (+x): colour says so.
  const barGeometry = cylinder(0.045, 4.3, 'z', 8);
  const barsBy = new Map<Paint, BufferGeometry[]>();
  for (let index = 1; index < length / pitch - 1; index++) {
    const x = -length / 2 + index * pitch;
    const t = index / (length / pitch);
    const material = t < 0.3 ? paint.hot : t < 0.5 ? paint.glowing : t < 0.7 ? paint.cooling : paint.cold;
    barsBy.set(material, [...(barsBy.get(material) ?? []), piece(barGeometry, [x, notchY + 0.045, 0])]);
  }
  const barNames = new Map<Paint, string>([
    [paint.hot, 'bars-hot'],
    [paint.glowing, 'bars-glowing'],
    [paint.cooling, 'bars-cooling'],
    [paint.cold, 'bars-cold'],
  ]);

  return group('cooling-bed', [
    part(
      'bed-frame',
      paint.frame,
      ...[-4.6, -1.55, 1.55, 4.6].map((x) => piece(block(0.3, 0.45, 4.3), [x, 0.475, 0])),
      ...[-2.0, 2.0].map((z) => piece(block(10.3, 0.25, 0.3), [0, 0.125, z])),
      ...[-4.6, -1.55, 1.55, 4.6].flatMap((x) => [-2.0, 2.0].map((z) => piece(block(0.3, 0.3, 0.3), [x, 0.4, z]))),
    ),
    group(
      'fixed-rakes',
      fixedRows.map((z, index) => copyOf(`fixed-rake-${index + 1}`, rake, paint.steel, [0, 0, z])),
    ),
    // Lower than the fixed rakes at rest, so the bars lie in the fixed notches; the plant moves it along x.
    group(
      'walking-beam',
      movingRows.map((z, index) => copyOf(`walking-rake-${index + 1}`, rake, paint.machine, [0, -0.05, z])),
    ),
    part('lift-shaft', paint.steel, piece(cylinder(0.09, 10.2, 'x', 12), [0, 0.35, -2.35]), ...[-4.6, -1.55, 1.55, 4.6].map((x) => piece(block(0.3, 0.35, 0.3), [x, 0.18, -2.35]))),
    part('drive-gearbox', paint.machine, piece(block(0.8, 0.8, 0.7), [-5.55, 0.4, -2.35])),
    part('drive-motor', paint.machine, piece(ribbed(0.28, 0.025, 14, 0.8, 'z'), [-5.55, 0.4, -1.6])),
    part('run-in-apron', paint.darkSteel, piece(block(0.6, 0.08, 4.3), [-5.3, 0.95, 0], [0, 0, -0.2])),
    part('exit-stops', paint.yellow, ...[-1.8, 0, 1.8].map((z) => piece(block(0.2, 0.5, 0.2), [5.25, 0.85, z]))),
    ...[...barsBy].map(([material, bars]) => part(barNames.get(material)!, material, ...bars)),
  ]);
}

/** Roller table: individually driven rollers between side frames, one of them the drive drum that shows the speed. */
function conveyor(): Group {
  const rollerRadius = 0.14;
  const barThickness = 0.06;
  const rollerY = passLine - barThickness / 2 - rollerRadius;
  const frameZ = 0.95;
  const rollerXs = Array.from({ length: 12 }, (_, index) => -2.75 + index * 0.5);
  const driveX = rollerXs[rollerXs.length - 1]!;
  const rollerGeometry = cylinder(rollerRadius, 1.7, 'z', 16);
  const motorGeometry = ribbed(0.12, 0.012, 8, 0.34, 'z');
  const idleXs = rollerXs.filter((x) => x !== driveX);
  const legXs = [-2.7, -0.9, 0.9, 2.7];

  const driveDrum = group(
    'drive-drum',
    [
      part('drive-drum-shell', paint.steel, rollerGeometry),
      part('drive-drum-shaft', paint.darkSteel, piece(cylinder(0.05, 2.6, 'z', 10), [0, 0, -0.15])),
      part('drive-drum-coupling', paint.yellow, piece(hexagonal(0.11, 0.12, 'z'), [0, 0, -1.33])),
    ],
    [driveX, rollerY, 0],
  );

  return group('conveyor', [
    part(
      'legs',
      paint.frame,
      ...legXs.flatMap((x) => [-frameZ, frameZ].map((z) => piece(block(0.18, rollerY - 0.2, 0.18), [x, (rollerY - 0.2) / 2, z]))),
      ...legXs.map((x) => piece(block(0.14, 0.14, 2 * frameZ), [x, 0.3, 0])),
    ),
    part('side-frames', paint.frame, ...[-frameZ, frameZ].map((z) => piece(block(6.0, 0.38, 0.14), [0, rollerY - 0.05, z]))),
    part('bearing-blocks', paint.darkSteel, ...rollerXs.flatMap((x) => [-1, 1].map((side) => piece(block(0.2, 0.2, 0.2), [x, rollerY, side * (frameZ + 0.17)])))),
    part('rollers', paint.steel, ...idleXs.map((x) => piece(rollerGeometry, [x, rollerY, 0]))),
    part('roller-shafts', paint.darkSteel, ...idleXs.map((x) => piece(cylinder(0.05, 2.3, 'z', 8), [x, rollerY, 0]))),
    part('roller-motors', paint.machine, ...idleXs.map((x) => piece(motorGeometry, [x, rollerY, -1.42]))),
    part('drive-drum-motor', paint.machine, piece(ribbed(0.16, 0.014, 10, 0.5, 'z'), [driveX, rollerY, -1.65]), piece(block(0.3, 0.12, 0.5), [driveX, rollerY - 0.2, -1.65])),
    part(
      'side-guides',
      paint.darkSteel,
      ...[-1, 1].map((side) => piece(block(5.4, 0.22, 0.05), [0.2, passLine + 0.08, side * 0.74])),
      ...[-1, 1].map((side) => piece(block(0.6, 0.22, 0.05), [-2.75, passLine + 0.08, side * 0.82], [0, side * 0.3, 0])),
    ),
    part('transfer-bar', paint.hot, piece(block(2.6, barThickness, 1.2), [-0.7, passLine, 0])),
    driveDrum,
  ]);
}

/** Six-axis industrial robot on a pedestal, with its controller; the arm rests upright, forearm pointing +x. */
function robot(): Group {
  const baseTop = 0.75;
  const shoulder: Triple = [0.16, 0.48, 0];
  const upperArmLength = 1.05;

  const wrist = group(
    'wrist',
    [
      part('wrist-joint', paint.orange, cylinder(0.09, 0.26, 'z', 16)),
      part('tool-flange', paint.darkSteel, piece(cylinder(0.075, 0.1, 'x', 16), [0.13, 0, 0])),
      part('gripper-body', paint.motor, piece(block(0.14, 0.16, 0.26), [0.25, 0, 0])),
      part('gripper-fingers', paint.darkSteel, ...[-0.085, 0.085].map((z) => piece(block(0.16, 0.04, 0.04), [0.39, 0, z]))),
    ],
    [1.02, 0, 0],
    [0, 0, -1.05],
  );
  const forearm = group(
    'forearm',
    [
      part('elbow-housing', paint.orange, piece(block(0.55, 0.34, 0.36), [0.0, 0.02, 0])),
      part('axis-3-motor', paint.motor, piece(cylinder(0.1, 0.3, 'x', 16), [-0.42, 0.02, 0])),
      part('forearm-tube', paint.orange, piece(cylinder(0.12, 0.8, 'x', 20, 0.085), [0.62, 0, 0])),
      part('wrist-fork', paint.orange, ...[-0.14, 0.14].map((z) => piece(block(0.16, 0.16, 0.05), [0.98, 0, z]))),
      wrist,
    ],
    [0, upperArmLength, 0],
    [0, 0, -0.1],
  );
  // Pivot at the shoulder: the plant turns rotation.z from 0 (upright) to lift and lower the arm.
  const upperArm = group(
    'upper-arm',
    [
      part('shoulder-hub', paint.orange, cylinder(0.24, 0.52, 'z', 24)),
      part('shoulder-caps', paint.darkSteel, ...[-0.27, 0.27].map((z) => piece(cylinder(0.16, 0.03, 'z', 20), [0, 0, z]))),
      part('upper-arm-link', paint.orange, frustum(0.34, 0.3, 0.24, 0.26, upperArmLength - 0.1).translate(0, 0.05, 0)),
      part('elbow-hub', paint.orange, piece(cylinder(0.19, 0.44, 'z', 20), [0, upperArmLength, 0])),
      part('counterbalance', paint.steel, rod([-0.22, 0.08, 0.36], [-0.14, 0.7, 0.36], 0.065, 12), rod([-0.14, 0.7, 0.36], [-0.05, 0.9, 0.36], 0.03, 8)),
      forearm,
    ],
    shoulder,
  );
  const turret = group(
    'turret',
    [
      part('turret-base', paint.orange, cylinder(0.38, 0.2, 'y', 32).translate(0, 0.1, 0)),
      part('turret-column', paint.orange, frustum(0.5, 0.5, 0.38, 0.44, 0.4).translate(0.05, 0.15, 0)),
      part('axis-1-motor', paint.motor, piece(cylinder(0.1, 0.32, 'y', 16), [-0.28, 0.42, 0.12])),
      part('axis-2-motor', paint.motor, piece(cylinder(0.12, 0.26, 'z', 16), [shoulder[0], shoulder[1], -0.42])),
      upperArm,
    ],
    [0, baseTop, 0],
  );

  const markingHalf = 1.5;
  return group('robot', [
    part(
      'floor-marking',
      paint.yellow,
      ...[-1, 1].map((side) => piece(block(2 * markingHalf, 0.01, 0.1), [0, 0.005, side * markingHalf])),
      ...[-1, 1].map((side) => piece(block(0.1, 0.01, 2 * markingHalf), [side * markingHalf, 0.005, 0])),
    ),
    part('pedestal', paint.frame, piece(block(0.9, 0.06, 0.9), [0, 0.03, 0]), piece(cylinder(0.3, 0.44, 'y', 24), [0, 0.28, 0])),
    part('robot-base', paint.orange, lathe([[0, 0.5], [0.42, 0.5], [0.42, 0.62], [0.36, baseTop], [0, baseTop]], 32)),
    part('controller', paint.cabinet, piece(block(0.6, 1.2, 0.5), [-1.0, 0.6, -1.05])),
    part('controller-door', paint.motor, piece(block(0.5, 0.9, 0.02), [-1.0, 0.7, -0.79])),
    part(
      'robot-cable',
      paint.rubber,
      pipe(
        [
          [-1.0, 0.04, -0.8],
          [-1.0, 0.04, -0.35],
          [-0.5, 0.04, -0.35],
          [-0.32, 0.55, -0.3],
        ],
        0.035,
        0.15,
        8,
      ),
    ),
    turret,
  ]);
}

/** End-suction centrifugal pump and motor on a baseplate; the coupling between them spins about x. */
function pump(): Group {
  const shaftY = 0.78;
  const pumpX = -0.72;
  const nozzleZ = 0.22; // the discharge leaves the volute tangentially, off the shaft's plane
  const flangeY = 1.3;
  const valveY = flangeY + 0.18;

  return group('pump', [
    part('plinth', paint.concrete, piece(block(2.9, 0.15, 1.1), [0, 0.075, 0])),
    part('baseplate', paint.frame, piece(block(2.6, 0.16, 0.82), [0, 0.23, 0])),
    part(
      'volute',
      paint.machine,
      piece(cylinder(0.42, 0.3, 'x', 32), [pumpX, shaftY, 0]),
      ...[-0.16, 0.16].map((dx) => piece(cylinder(0.45, 0.04, 'x', 32), [pumpX + dx, shaftY, 0])),
      piece(cylinder(0.3, 0.16, 'x', 28), [pumpX - 0.23, shaftY, 0]),
      piece(block(0.3, 0.1, 0.5), [pumpX, 0.36, 0]),
      piece(cylinder(0.11, flangeY - shaftY - 0.1, 'y', 20), [pumpX, (shaftY + 0.1 + flangeY) / 2, nozzleZ]),
      piece(cylinder(0.2, 0.05, 'y', 24), [pumpX, flangeY, nozzleZ]),
    ),
    part('bearing-frame', paint.machine, piece(cylinder(0.13, 0.5, 'x', 20), [-0.32, shaftY, 0]), piece(block(0.22, shaftY - 0.31, 0.34), [-0.25, (shaftY + 0.31) / 2, 0])),
    part(
      'discharge-valve',
      paint.darkSteel,
      piece(cylinder(0.15, 0.3, 'y', 20), [pumpX, valveY, nozzleZ]),
      piece(cylinder(0.2, 0.05, 'y', 24), [pumpX, valveY + 0.17, nozzleZ]),
      piece(block(0.14, 0.14, 0.32), [pumpX, valveY, nozzleZ + 0.3]),
      piece(cylinder(0.02, 0.2, 'z', 6), [pumpX, valveY, nozzleZ + 0.55]),
    ),
    part(
      'handwheel',
      paint.handwheel,
      piece(ring(0.15, 0.018, 'z', 24, 6), [pumpX, valveY, nozzleZ + 0.62]),
      ...[0, Math.PI / 2].map((angle) => piece(block(0.28, 0.02, 0.02), [pumpX, valveY, nozzleZ + 0.62], [0, 0, angle])),
    ),
    part(
      'discharge-pipe',
      paint.steel,
      pipe(
        [
          [pumpX, valveY + 0.17, nozzleZ],
          [pumpX, 2.0, nozzleZ],
          [pumpX, 2.0, -0.65],
        ],
        0.11,
        0.28,
        16,
      ),
      piece(cylinder(0.2, 0.05, 'z', 24), [pumpX, 2.0, -0.65]),
    ),
    part('pressure-gauge', paint.dial, piece(cylinder(0.075, 0.04, 'x', 20), [pumpX + 0.2, 1.8, nozzleZ]), rod([pumpX, 1.8, nozzleZ], [pumpX + 0.19, 1.8, nozzleZ], 0.015, 6)),
    part(
      'suction-pipe',
      paint.steel,
      pipe(
        [
          [pumpX - 0.3, shaftY, 0],
          [-1.4, shaftY, 0],
          [-1.4, shaftY, -0.65],
        ],
        0.13,
        0.26,
        16,
      ),
      piece(cylinder(0.21, 0.05, 'x', 24), [pumpX - 0.42, shaftY, 0]),
      piece(cylinder(0.21, 0.05, 'z', 24), [-1.4, shaftY, -0.65]),
    ),
    // Spins about x at its origin on the shaft; the hexagonal hubs make the turning visible.
    group(
      'coupling',
      [
        part('coupling-shafts', paint.steel, cylinder(0.045, 0.42, 'x', 12)),
        part('coupling-hubs', paint.yellow, ...[-0.07, 0.07].map((x) => piece(hexagonal(0.13, 0.1, 'x'), [x, 0, 0]))),
        part('coupling-insert', paint.rubber, cylinder(0.12, 0.04, 'x', 12)),
      ],
      [0.02, shaftY, 0],
    ),
    part('motor-frame', paint.motor, piece(ribbed(0.3, 0.022, 18, 0.72, 'x'), [0.64, shaftY, 0])),
    part(
      'motor-ends',
      paint.motor,
      piece(cylinder(0.27, 0.07, 'x', 28), [0.245, shaftY, 0]),
      piece(cylinder(0.31, 0.2, 'x', 28), [1.1, shaftY, 0]),
      piece(cylinder(0.31, 0.05, 'x', 28, 0.22), [1.225, shaftY, 0]),
      piece(block(0.26, 0.17, 0.26), [0.58, shaftY + 0.36, 0]),
    ),
    part('motor-feet', paint.darkSteel, ...[-0.2, 0.2].map((z) => piece(block(0.62, shaftY - 0.41, 0.1), [0.64, (shaftY - 0.41) / 2 + 0.31, z]))),
  ]);
}

/** Vertical storage tank with caged ladder, roof handrail, nozzles and a level gauge board facing +z. */
function tank(): Group {
  const radius = 1.5;
  const shellBottom = 0.2;
  const shellTop = 5.0;
  const roofTop = 5.45;
  const gaugeX = -0.55;
  const gaugeZ = 1.72;
  const gaugeBottom = 0.65;
  const gaugeHeight = 3.9;

  const seams = [1.4, 2.6, 3.8];
  const shellProfile: Array<[number, number]> = [[radius, shellBottom]];
  for (const seam of seams) shellProfile.push([radius, seam - 0.04], [radius + 0.025, seam - 0.02], [radius + 0.025, seam + 0.02], [radius, seam + 0.04]);
  shellProfile.push([radius, shellTop]);

  const roofRailRadius = radius - 0.08;
  const roofEdgeY = shellTop + 0.05;
  const roofRail: BufferGeometry[] = [
    piece(ring(roofRailRadius, 0.028, 'y', 48, 6), [0, roofEdgeY + 1.0, 0]),
    piece(ring(roofRailRadius, 0.02, 'y', 48, 6), [0, roofEdgeY + 0.5, 0]),
    ...Array.from({ length: 10 }, (_, index) => {
      const angle = (index / 10) * Math.PI * 2;
      const x = Math.cos(angle) * roofRailRadius;
      const z = Math.sin(angle) * roofRailRadius;
      return rod([x, roofEdgeY, z], [x, roofEdgeY + 1.0, z], 0.025, 6);
    }),
  ];

  const ladderX = radius + 0.22;
  const hoop = ring(0.38, 0.018, 'z', 12, 4, Math.PI).rotateZ(-Math.PI / 2).rotateX(Math.PI / 2);
  const cage: BufferGeometry[] = [];
  const cageX = ladderX + 0.15;
  for (let height = 2.3; height <= 6.0; height += 0.62) cage.push(piece(hoop, [cageX, height, 0]));
  for (const angle of [-1.2, -0.4, 0.4, 1.2]) cage.push(rod([cageX + Math.cos(angle) * 0.38, 2.3, Math.sin(angle) * 0.38], [cageX + Math.cos(angle) * 0.38, 6.02, Math.sin(angle) * 0.38], 0.016, 4));

  // Origin at the column's foot, so the plant's scale.y (0..1) fills the gauge from the bottom up;
  // it rests part full so that the model, before any data arrives, reads as a level gauge.
  const levelIndicator = group('level-indicator', [part('level-column', paint.water, block(0.18, gaugeHeight, 0.06).translate(0, gaugeHeight / 2, 0))], [gaugeX, gaugeBottom, gaugeZ + 0.02]);
  levelIndicator.scale.y = 0.7;

  return group('tank', [
    part('foundation', paint.concrete, piece(cylinder(radius + 0.25, shellBottom, 'y', 48), [0, shellBottom / 2, 0])),
    part('shell', paint.tank, lathe(shellProfile, 48)),
    part('roof', paint.tank, lathe([[radius + 0.05, shellTop - 0.02], [radius + 0.05, roofEdgeY], [0.3, roofTop - 0.02], [0, roofTop]], 48)),
    part('roof-vent', paint.darkSteel, piece(cylinder(0.14, 0.35, 'y', 16), [0.5, roofTop, 0.3]), piece(cylinder(0.24, 0.12, 'y', 16, 0.05), [0.5, roofTop + 0.22, 0.3])),
    part('roof-manway', paint.darkSteel, piece(cylinder(0.32, 0.15, 'y', 24), [-0.6, roofTop - 0.12, -0.6])),
    part('roof-handrail', paint.yellow, ...roofRail),
    part('ladder', paint.yellow, ...ladder(ladderX, 0, 0, 6.0)),
    part('ladder-cage', paint.yellow, ...cage),
    part('ladder-brackets', paint.darkSteel, ...[1.0, 3.0, 5.0].map((height) => piece(block(0.24, 0.06, 0.5), [radius + 0.11, height, 0]))),
    part('gauge-board', paint.darkSteel, piece(block(0.44, gaugeHeight + 0.35, 0.05), [gaugeX, gaugeBottom + gaugeHeight / 2, gaugeZ - 0.06])),
    part('gauge-scale', paint.dial, ...Array.from({ length: 11 }, (_, index) => piece(block(0.09, 0.025, 0.01), [gaugeX + 0.17, gaugeBottom + (index / 10) * gaugeHeight, gaugeZ - 0.03]))),
    part(
      'gauge-nozzles',
      paint.steel,
      ...[gaugeBottom - 0.1, gaugeBottom + gaugeHeight + 0.1].map((height) => piece(cylinder(0.045, 0.32, 'z', 10), [gaugeX, height, gaugeZ - 0.2])),
    ),
    part('gauge-glass', paint.glass, piece(block(0.24, gaugeHeight, 0.1), [gaugeX, gaugeBottom + gaugeHeight / 2, gaugeZ + 0.02])),
    levelIndicator,
    part(
      'outlet',
      paint.steel,
      pipe(
        [
          [0.65, 0.55, 1.3],
          [0.65, 0.55, 2.05],
        ],
        0.1,
      ),
      piece(cylinder(0.18, 0.05, 'z', 20), [0.65, 0.55, 1.7]),
    ),
    part('outlet-valve', paint.darkSteel, piece(cylinder(0.14, 0.26, 'z', 16), [0.65, 0.55, 1.86]), piece(block(0.1, 0.35, 0.1), [0.65, 0.8, 1.86])),
    part('outlet-handwheel', paint.handwheel, piece(ring(0.13, 0.016, 'y', 20, 5), [0.65, 1.0, 1.86])),
    part(
      'fill-line',
      paint.steel,
      pipe(
        [
          [-0.9, roofTop - 0.2, -0.55],
          [-0.9, roofTop + 0.25, -0.55],
          [-(radius + 0.2), roofTop + 0.25, -0.55],
          [-(radius + 0.2), 0.6, -0.55],
          [-(radius + 0.7), 0.6, -0.55],
        ],
        0.075,
        0.25,
        12,
      ),
    ),
    part('manway', paint.tank, piece(cylinder(0.32, 0.18, 'z', 28), [0.0, 0.95, -radius - 0.05]), piece(cylinder(0.38, 0.05, 'z', 28), [0.0, 0.95, -radius - 0.14])),
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
  // The exporter names nodes only; naming the mesh data too keeps it findable in glTF tools.
  const exporter = new GLTFExporter().register(() => ({ writeMesh: (mesh, meshDef) => void (meshDef.name = mesh.name) }));
  // trs: nodes carry translation/rotation/scale rather than a matrix, so the animated values read as authored.
  const exported = await exporter.parseAsync(build(), { binary: true, trs: true });
  if (!(exported instanceof ArrayBuffer)) throw new Error('GLTFExporter did not return binary glTF');
  return new Uint8Array(exported);
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
