import { Box3, BufferAttribute, BufferGeometry, Euler, Matrix4, type Mesh, MeshStandardMaterial, type Material, type Object3D, Vector3 } from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import { withHealthShader } from './health-material.ts';

/** One draw of a part: its geometry (in the part's frame) with one material, opaque and see-through. */
export interface KindBatch {
  geometry: BufferGeometry;
  /** The material for machines drawn solid (a model's own translucent parts stay translucent). */
  material: MeshStandardMaterial;
  /** The same look for machines drawn see-through (stale, offline, bad, unknown): blended, no depth writes. */
  seeThroughMaterial: MeshStandardMaterial;
}

/**
 * A rigid piece of a model kind: part 0 is everything that never moves; each further part is a node some
 * machine of the kind animates, with every mesh below it up to the next animated node.
 */
export interface KindPart {
  /** The node's name, as animations bind it ("" for the static part). */
  node: string;
  /** Index of the part it rides on (0: the machine itself); -1 for the static part. Parents come first. */
  parent: number;
  /** From the parent part's frame to the frame the node's own transform applies in. */
  offset: Matrix4;
  /** The node's pose in the file, which a machine starts from. */
  restPosition: Vector3;
  restRotation: Euler;
  restScale: Vector3;
  batches: KindBatch[];
}

/** One far level of a model: for each part (same order as `KindModel.parts`), its batches; and the triangles of one machine drawn that way. */
export interface KindLevel {
  parts: KindBatch[][];
  triangles: number;
}

/** A model prepared for instancing: its parts, with meshes merged per shared look, and its bounds. */
export interface KindModel {
  parts: KindPart[];
  /** Bounds at rest in the machine's frame (metres, y up, before the machine's position and rotation). */
  bounds: Box3;
  /** Triangles of one machine. */
  triangles: number;
  /**
   * The coarser levels drawn for machines far from the camera, coarser each (see far-level.ts); none
   * when the kind has no far level.
   */
  farLevels?: KindLevel[];
}

/** Which model properties a texture-free standard material may differ in and still share a draw (baked per vertex). */
const textureProperties = ['map', 'normalMap', 'roughnessMap', 'metalnessMap', 'aoMap', 'emissiveMap', 'alphaMap', 'bumpMap', 'displacementMap', 'lightMap', 'envMap'] as const;

/**
 * Splits a machine template into rigid parts (static, and one per animated node) and merges each part's
 * meshes into as few geometries as their materials allow: plain standard materials (no textures, opaque,
 * no glow) merge into one draw with colour, roughness and metalness per vertex; any other material merges
 * only the meshes that share it. Nothing in the template is changed.
 */
export function buildKindModel(template: Object3D, animatedNodes: ReadonlySet<string>): KindModel {
  template.updateWorldMatrix(true, true);
  const partNodes: Object3D[] = [];
  template.traverse((node) => {
    if (node !== template && animatedNodes.has(node.name) && !partNodes.some((known) => known.name === node.name)) partNodes.push(node);
  });
  const partIndexOf = new Map<Object3D, number>(partNodes.map((node, index) => [node, index + 1]));
  const nearestPart = (node: Object3D | null): number => {
    for (let current = node; current && current !== template; current = current.parent) {
      const index = partIndexOf.get(current);
      if (index !== undefined) return index;
    }
    return 0;
  };
  const frames: Matrix4[] = [new Matrix4()];
  const parts: KindPart[] = [{ node: '', parent: -1, offset: new Matrix4(), restPosition: new Vector3(), restRotation: new Euler(), restScale: new Vector3(1, 1, 1), batches: [] }];
  for (const node of partNodes) {
    const parent = nearestPart(node.parent);
    const parentFrame = frames[parent]!;
    const offset = parentFrame.clone().invert().multiply(node.parent!.matrixWorld);
    frames.push(node.matrixWorld.clone());
    parts.push({ node: node.name, parent, offset, restPosition: node.position.clone(), restRotation: node.rotation.clone(), restScale: node.scale.clone(), batches: [] });
  }

  // Geometry pieces per part and per look, each already in its part's frame.
  const groups = parts.map(() => new Map<string, { material: Material; plain: boolean; pieces: BufferGeometry[] }>());
  const bounds = new Box3();
  let triangles = 0;
  template.traverse((object) => {
    const mesh = object as Mesh;
    if (!mesh.isMesh || !isShown(mesh, template)) return;
    const part = nearestPart(mesh);
    const toPart = frames[part]!.clone().invert().multiply(mesh.matrixWorld);
    const materials = Array.isArray(mesh.material) ? mesh.material : [mesh.material];
    const ranges = Array.isArray(mesh.material) && mesh.geometry.groups.length > 0 ? mesh.geometry.groups : [{ start: 0, count: Infinity, materialIndex: 0 }];
    for (const range of ranges) {
      const material = materials[range.materialIndex ?? 0];
      if (!material) continue;
      const plain = isPlain(material);
      const key = plain ? `plain:${material.side}:${(material as MeshStandardMaterial).flatShading}` : material.uuid;
      const piece = bakedPiece(mesh.geometry, range.start, range.count, toPart, plain ? (material as MeshStandardMaterial) : null);
      const group = groups[part]!.get(key) ?? { material, plain, pieces: [] };
      group.pieces.push(piece);
      groups[part]!.set(key, group);
      triangles += (piece.index?.count ?? 0) / 3;
    }
    mesh.geometry.computeBoundingBox();
    bounds.union(mesh.geometry.boundingBox!.clone().applyMatrix4(mesh.matrixWorld));
  });

  groups.forEach((byLook, part) => {
    for (const { material, plain, pieces } of byLook.values()) {
      const geometry = mergeGeometries(sameAttributes(pieces), false);
      for (const piece of pieces) piece.dispose();
      if (!geometry) continue;
      geometry.computeBoundingSphere();
      geometry.computeBoundingBox();
      const look = plain ? sharedPlainLook(material as MeshStandardMaterial) : sharedOwnLook(material);
      parts[part]!.batches.push({ geometry, ...look });
    }
  });
  return { parts, bounds, triangles };
}

/** Whether a mesh is drawn: it and every ancestor up to the template are visible. */
function isShown(object: Object3D, template: Object3D): boolean {
  for (let current: Object3D | null = object; current && current !== template.parent; current = current.parent) if (!current.visible) return false;
  return true;
}

/** A standard material whose look is colour, roughness and metalness only, so it can be baked per vertex. */
function isPlain(material: Material): boolean {
  if (!(material instanceof MeshStandardMaterial) || (material as { isMeshPhysicalMaterial?: boolean }).isMeshPhysicalMaterial) return false;
  if (material.transparent || material.opacity < 1 || material.alphaTest > 0 || material.vertexColors) return false;
  if (material.emissive.getHex() !== 0 && material.emissiveIntensity > 0) return false;
  return textureProperties.every((name) => !material[name]);
}

/** A batch's pair of materials: drawn solid and drawn see-through. */
type KindLook = Pick<KindBatch, 'material' | 'seeThroughMaterial'>;

/**
 * The plain looks, one pair per side and shading for every kind of the plant: three sorts opaque draws
 * by material, so the batches of all kinds that share a material are drawn one after another and the
 * material's uniforms (lights, fog, shadows) are set once for them, not once per draw.
 */
const plainLooks = new Map<string, KindLook>();
/** A model's own materials, shared by every kind drawn from the same loaded file (models are loaded once per file). */
const ownLooks = new WeakMap<Material, KindLook>();

function sharedPlainLook(source: MeshStandardMaterial): KindLook {
  const key = `${source.side}:${source.flatShading}`;
  let look = plainLooks.get(key);
  if (!look) plainLooks.set(key, (look = healthLooks(plainMaterial(source), true)));
  return look;
}

function sharedOwnLook(source: Material): KindLook {
  let look = ownLooks.get(source);
  if (!look) ownLooks.set(source, (look = healthLooks(ownMaterial(source), false)));
  return look;
}

function healthLooks(look: MeshStandardMaterial, plain: boolean): KindLook {
  return { material: withHealthShader(look, plain), seeThroughMaterial: withHealthShader(seeThrough(look), plain) };
}

/** One material standing for every plain material of a part: white, its colours and finishes come from the vertices. */
function plainMaterial(source: MeshStandardMaterial): MeshStandardMaterial {
  return new MeshStandardMaterial({ vertexColors: true, side: source.side, flatShading: source.flatShading, name: 'merged-plain' });
}

/** The model's own material, as a standard one (anything else is drawn in the neutral grey machines fall back to). */
function ownMaterial(source: Material): MeshStandardMaterial {
  return source instanceof MeshStandardMaterial ? source.clone() : new MeshStandardMaterial({ color: '#8a9099', name: source.name });
}

function seeThrough(material: MeshStandardMaterial): MeshStandardMaterial {
  const copy = material.clone();
  copy.transparent = true;
  // Translucent machines must not hide what is behind them.
  copy.depthWrite = false;
  return copy;
}

/**
 * The triangles of `[start, start + count)` of a geometry as a new indexed geometry in float attributes
 * (quantized files hold integers), moved into the part's frame; with a plain material, its colour and
 * finish written per vertex.
 */
function bakedPiece(source: BufferGeometry, start: number, count: number, matrix: Matrix4, plain: MeshStandardMaterial | null): BufferGeometry {
  const position = source.getAttribute('position');
  const vertexCount = position.count;
  const sourceIndex = source.getIndex();
  const total = sourceIndex ? sourceIndex.count : vertexCount;
  const first = Math.max(0, start);
  const last = Math.min(total, first + count);
  const index = new Uint32Array(Math.max(0, last - first));
  for (let offset = first; offset < last; offset++) index[offset - first] = sourceIndex ? sourceIndex.getX(offset) : offset;
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', floatCopy(position, 3));
  if (source.getAttribute('normal')) geometry.setAttribute('normal', floatCopy(source.getAttribute('normal'), 3));
  const uv = source.getAttribute('uv');
  if (uv && !plain) geometry.setAttribute('uv', floatCopy(uv, 2));
  geometry.setIndex(new BufferAttribute(index, 1));
  if (!geometry.getAttribute('normal')) geometry.computeVertexNormals();
  geometry.applyMatrix4(matrix);
  // A mirroring transform turns triangles inside out: swap two corners to keep their front faces.
  if (matrix.determinant() < 0) for (let offset = 0; offset + 2 < index.length; offset += 3) [index[offset + 1], index[offset + 2]] = [index[offset + 2]!, index[offset + 1]!];
  if (plain) {
    const colours = new Float32Array(vertexCount * 3);
    const surface = new Float32Array(vertexCount * 2);
    for (let vertex = 0; vertex < vertexCount; vertex++) {
      colours[vertex * 3] = plain.color.r;
      colours[vertex * 3 + 1] = plain.color.g;
      colours[vertex * 3 + 2] = plain.color.b;
      surface[vertex * 2] = plain.roughness;
      surface[vertex * 2 + 1] = plain.metalness;
    }
    geometry.setAttribute('color', new BufferAttribute(colours, 3));
    geometry.setAttribute('surface', new BufferAttribute(surface, 2));
  }
  return geometry;
}

/** An attribute's values as plain floats, whatever its storage (interleaved, normalized integers). */
function floatCopy(attribute: BufferGeometry['attributes'][string], itemSize: number): BufferAttribute {
  const values = new Float32Array(attribute.count * itemSize);
  for (let item = 0; item < attribute.count; item++) for (let component = 0; component < itemSize; component++) values[item * itemSize + component] = attribute.getComponent(item, component);
  return new BufferAttribute(values, itemSize);
}

/** Pieces that can merge: attributes some pieces lack (uv) are dropped from all. */
function sameAttributes(pieces: BufferGeometry[]): BufferGeometry[] {
  const shared = Object.keys(pieces[0]!.attributes).filter((name) => pieces.every((piece) => piece.getAttribute(name) !== undefined));
  for (const piece of pieces) for (const name of Object.keys(piece.attributes)) if (!shared.includes(name)) piece.deleteAttribute(name);
  return pieces;
}
