import { open, readFile, realpath, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, sep } from 'node:path';
import { normaliseModelFile } from '../common/plant-model-files.ts';

// gltf-validator ships CommonJS without type declarations.
const require = createRequire(import.meta.url);
const validator = require('gltf-validator') as {
  validateBytes(bytes: Uint8Array, options?: { uri?: string; maxIssues?: number; externalResourceFunction?: (uri: string) => Promise<Uint8Array> }): Promise<ValidatorReport>;
};

interface ValidatorReport {
  issues: { numErrors: number; numWarnings: number; numInfos: number; numHints: number; truncated?: boolean; messages: Array<{ code: string; message: string; pointer?: string; offset?: number; severity: number }> };
}

/** Largest model file (with, for a .gltf, the files it refers to) that is described; a larger one is refused unread. */
export const maxModelBytes = 256 * 1024 * 1024;

/** Most validator messages kept per file: the first ones say what is wrong, the rest repeat it. */
const maxValidatorMessages = 100;

/** Deepest node tree followed; a deeper one is not a model anyone exported, or holds a cycle. */
const maxNodeDepth = 256;

/** A message of the Khronos glTF validator. */
export interface ValidatorMessage {
  severity: 'error' | 'warning' | 'info' | 'hint';
  code: string;
  message: string;
  /** JSON pointer into the file (or byte offset in a GLB) the message is about. */
  where?: string;
}

/** The Khronos glTF validator's result for one file. */
export interface ValidatorResult {
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
  /** The first messages, errors first. */
  messages: ValidatorMessage[];
}

/** A node of a model: what a plant's `node` can name. */
export interface ModelNode {
  name: string;
  /** Its index in the file's node list, for a node without a name. */
  index: number;
  /** Triangles of this node's own mesh (not its children's). */
  triangles: number;
  /** Names of the materials its own mesh uses. */
  materials: string[];
  /** Width, height, depth in metres (glTF's unit) of this node with its children, placed as in the scene; undefined without geometry. */
  size?: [number, number, number];
  children: ModelNode[];
}

/** What `twinline models` tells about one file. */
export interface ModelDescription {
  file: string;
  bytes: number;
  /** Why the file cannot be loaded, in words; undefined when it can be read. */
  problem?: string;
  generator?: string;
  extensionsUsed: string[];
  extensionsRequired: string[];
  /** Triangles of the default scene, counting each mesh as often as nodes draw it. */
  triangles: number;
  materials: string[];
  /** The scene's bounds in metres (glTF's unit), after every node's transform. */
  bounds?: { min: [number, number, number]; max: [number, number, number] };
  /** The default scene's root nodes and their children. */
  roots: ModelNode[];
  /** The Khronos validator's result, or why it could not run. */
  validation: ValidatorResult | { failed: string };
}

/** Whether a description means the file will not load, or is not valid glTF: `twinline models` then exits with 1. */
export function isModelBroken(description: ModelDescription): boolean {
  return description.problem !== undefined || 'failed' in description.validation || description.validation.errors > 0;
}

/** The parts of a glTF document this description reads; anything else passes through unread. */
interface GltfJson {
  asset?: { generator?: unknown; version?: unknown };
  extensionsUsed?: unknown;
  extensionsRequired?: unknown;
  scene?: unknown;
  scenes?: unknown;
  nodes?: unknown;
  meshes?: unknown;
  accessors?: unknown;
  materials?: unknown;
}

/** A model file that cannot be read: its message says why in words. */
class UnreadableModel extends Error {}

/**
 * Describes one model file (.glb or .gltf): its node tree with names, triangles, materials and sizes,
 * the extensions it uses and requires, and the Khronos validator's result. Reads at most `maxBytes`
 * (the file and, for a .gltf, the files it refers to beside it); a broken file gets a description
 * whose `problem` says why, never a throw.
 */
export async function describeModel(file: string, maxBytes = maxModelBytes): Promise<ModelDescription> {
  const description: ModelDescription = {
    file,
    bytes: 0,
    extensionsUsed: [],
    extensionsRequired: [],
    triangles: 0,
    materials: [],
    roots: [],
    validation: { failed: 'not run: the file could not be read' },
  };
  let bytes: Uint8Array;
  try {
    bytes = await readBounded(file, maxBytes);
  } catch (error) {
    description.problem = error instanceof UnreadableModel ? error.message : `cannot be read: ${messageOf(error)}`;
    return description;
  }
  description.bytes = bytes.byteLength;
  // The validator runs even on a file this description cannot read: its messages say where it breaks.
  const budget = { remaining: maxBytes - bytes.byteLength };
  description.validation = await validate(file, bytes, budget);
  try {
    const json = isGlb(bytes) ? glbJson(bytes) : gltfJson(file, bytes);
    describeJson(json, description);
  } catch (error) {
    // Whatever a hostile file makes this reading trip over is that file's problem, not the command's end.
    description.problem = error instanceof UnreadableModel ? error.message : `cannot be read: ${messageOf(error)}`;
  }
  return description;
}

/** The whole file, refused unread when it is larger than `maxBytes` or not a regular file. */
async function readBounded(file: string, maxBytes: number): Promise<Uint8Array> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    throw new UnreadableModel(`cannot be opened: ${messageOf(error)}`);
  }
  if (!info.isFile()) throw new UnreadableModel('is not a file');
  if (info.size > maxBytes) throw new UnreadableModel(`is ${info.size.toLocaleString('en')} bytes, more than the ${formatBytes(maxBytes)} a model may have: simplify it (fewer parts, Draco or meshopt compression) before using it`);
  const handle = await open(file, 'r');
  try {
    // Read no more than was allowed even if the file grew since stat.
    const bytes = new Uint8Array(info.size);
    const { bytesRead } = await handle.read(bytes, 0, bytes.byteLength, 0);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Runs the Khronos validator; a .gltf's buffers and images are read from beside it, within the byte budget. */
async function validate(file: string, bytes: Uint8Array, budget: { remaining: number }): Promise<ValidatorResult | { failed: string }> {
  const readResource = async (uri: string): Promise<Uint8Array> => {
    const resource = await resolveResource(await realpath(dirname(file)), uri);
    const size = (await stat(resource)).size;
    if (size > budget.remaining) throw new Error(`${uri} would take the model past ${formatBytes(maxModelBytes)}`);
    budget.remaining -= size;
    return new Uint8Array(await readFile(resource));
  };
  try {
    const report = await validator.validateBytes(bytes, { uri: basename(file), maxIssues: maxValidatorMessages, externalResourceFunction: readResource });
    const severities = ['error', 'warning', 'info', 'hint'] as const;
    const messages = report.issues.messages
      .map((message) => ({
        severity: severities[message.severity] ?? 'error',
        code: message.code,
        message: message.message,
        ...(message.pointer !== undefined ? { where: message.pointer } : message.offset !== undefined ? { where: `byte ${message.offset}` } : {}),
      }))
      .sort((first, second) => severities.indexOf(first.severity) - severities.indexOf(second.severity));
    return { errors: report.issues.numErrors, warnings: report.issues.numWarnings, infos: report.issues.numInfos, hints: report.issues.numHints, messages };
  } catch (error) {
    // The validator rejects with a plain value for input it cannot start on; say so rather than crash.
    return { failed: messageOf(error) };
  }
}

/** The path of a file a .gltf refers to: only a relative one inside the .gltf's own folder. */
async function resolveResource(folder: string, uri: string): Promise<string> {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri) || uri.includes('?') || uri.includes('#')) throw new Error(`${uri} is not a file beside the model`);
  const relative = normaliseModelFile(decodeURIComponent(uri));
  if (relative === undefined) throw new Error(`${uri} lies outside the model's folder`);
  const resolved = await realpath(join(folder, relative));
  if (!resolved.startsWith(folder + sep)) throw new Error(`${uri} lies outside the model's folder`);
  return resolved;
}

function isGlb(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true) === 0x46546c67;
}

/** The JSON chunk of a GLB, after checking the container says what the file holds. */
function glbJson(bytes: Uint8Array): GltfJson {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 20) throw new UnreadableModel(`is cut off: ${bytes.byteLength} bytes, too short for a GLB header`);
  const version = view.getUint32(4, true);
  if (version !== 2) throw new UnreadableModel(`is GLB version ${version}; only glTF 2.0 is read (re-export it as glTF 2.0)`);
  const length = view.getUint32(8, true);
  if (length > bytes.byteLength) throw new UnreadableModel(`is cut off: its header says ${length} bytes, the file has ${bytes.byteLength} (an interrupted copy or download?)`);
  const jsonLength = view.getUint32(12, true);
  if (view.getUint32(16, true) !== 0x4e4f534a) throw new UnreadableModel('is not a valid GLB: its first chunk is not JSON');
  if (20 + jsonLength > length) throw new UnreadableModel(`is cut off: its JSON chunk runs ${20 + jsonLength - length} bytes past the end`);
  return parseJson(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLength)), 'its JSON chunk');
}

function gltfJson(file: string, bytes: Uint8Array): GltfJson {
  if (!file.toLowerCase().endsWith('.gltf')) throw new UnreadableModel('is neither a GLB (no "glTF" header) nor a .gltf file');
  return parseJson(new TextDecoder().decode(bytes), 'it');
}

function parseJson(text: string, what: string): GltfJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UnreadableModel(`cannot be read: ${what} is not JSON (${messageOf(error)})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UnreadableModel(`cannot be read: ${what} is not a glTF object`);
  const json = parsed as GltfJson;
  const version = json.asset?.version;
  if (typeof version !== 'string' || !version.startsWith('2.')) throw new UnreadableModel(`is glTF ${typeof version === 'string' ? version : 'of no version'}; only glTF 2.0 is read`);
  return json;
}

type Vector3 = [number, number, number];
/** A 4 × 4 matrix, column-major as glTF stores it. */
type Matrix = number[];

interface Accessor {
  count: number;
  min?: number[];
  max?: number[];
  componentType?: number;
  normalized?: boolean;
}

/** Fills in the node tree, totals, extensions and bounds from the glTF JSON. */
function describeJson(json: GltfJson, description: ModelDescription): void {
  description.generator = typeof json.asset?.generator === 'string' ? json.asset.generator : undefined;
  description.extensionsUsed = strings(json.extensionsUsed);
  description.extensionsRequired = strings(json.extensionsRequired);
  const nodes = list(json.nodes);
  const meshes = list(json.meshes);
  const accessors = list(json.accessors);
  const materials = list(json.materials);
  const materialName = (index: unknown) => {
    const material = typeof index === 'number' ? materials[index] : undefined;
    if (typeof index !== 'number') return '(default material)';
    return typeof material?.name === 'string' && material.name !== '' ? material.name : `material ${index}`;
  };
  const accessor = (index: unknown): Accessor | undefined => {
    const entry = typeof index === 'number' ? accessors[index] : undefined;
    return entry && typeof entry.count === 'number' ? (entry as unknown as Accessor) : undefined;
  };

  const meshFacts = meshes.map((mesh) => {
    let triangles = 0;
    const used = new Set<string>();
    let bounds: { min: Vector3; max: Vector3 } | undefined;
    for (const primitive of list(mesh.primitives)) {
      const attributes = (primitive.attributes ?? {}) as Record<string, unknown>;
      const position = accessor(attributes.POSITION);
      const count = accessor(primitive.indices)?.count ?? position?.count ?? 0;
      const mode = typeof primitive.mode === 'number' ? primitive.mode : 4;
      triangles += mode === 4 ? Math.floor(count / 3) : mode === 5 || mode === 6 ? Math.max(0, count - 2) : 0;
      used.add(materialName(primitive.material));
      const box = position ? positionBounds(position) : undefined;
      if (box) bounds = bounds ? union(bounds, box) : box;
    }
    return { triangles, materials: [...used], bounds };
  });

  const sceneIndex = typeof json.scene === 'number' ? json.scene : 0;
  const scene = list(json.scenes)[sceneIndex];
  const rootIndices = scene ? indices(scene.nodes) : [];
  const allMaterials = new Set<string>();
  let sceneBounds: { min: Vector3; max: Vector3 } | undefined;

  const visit = (index: number, parentMatrix: Matrix, depth: number, path: Set<number>): { node: ModelNode; bounds?: { min: Vector3; max: Vector3 } } => {
    const entry = nodes[index];
    if (!entry) throw new UnreadableModel(`cannot be read: it names node ${index}, which does not exist`);
    if (depth > maxNodeDepth || path.has(index)) throw new UnreadableModel(`cannot be read: its node tree loops or is deeper than ${maxNodeDepth} levels (at node ${index})`);
    const matrix = multiply(parentMatrix, localMatrix(entry));
    const facts = typeof entry.mesh === 'number' ? meshFacts[entry.mesh] : undefined;
    let bounds = facts?.bounds ? transformBounds(facts.bounds, matrix) : undefined;
    description.triangles += facts?.triangles ?? 0;
    for (const name of facts?.materials ?? []) allMaterials.add(name);
    const children: ModelNode[] = [];
    path.add(index);
    for (const child of indices(entry.children)) {
      const visited = visit(child, matrix, depth + 1, path);
      children.push(visited.node);
      if (visited.bounds) bounds = bounds ? union(bounds, visited.bounds) : visited.bounds;
    }
    path.delete(index);
    const name = typeof entry.name === 'string' ? entry.name : '';
    return { node: { name, index, triangles: facts?.triangles ?? 0, materials: facts?.materials ?? [], ...(bounds ? { size: sizeOf(bounds) } : {}), children }, bounds };
  };

  for (const index of rootIndices) {
    const visited = visit(index, identity(), 0, new Set());
    description.roots.push(visited.node);
    if (visited.bounds) sceneBounds = sceneBounds ? union(sceneBounds, visited.bounds) : visited.bounds;
  }
  description.materials = [...allMaterials];
  if (sceneBounds) description.bounds = sceneBounds;
}

/** A POSITION accessor's bounds as numbers the node transforms apply to (normalized integers read as glTF says). */
function positionBounds(accessor: Accessor): { min: Vector3; max: Vector3 } | undefined {
  if (accessor.min?.length !== 3 || accessor.max?.length !== 3) return undefined;
  const scale = accessor.normalized ? normalizedScale(accessor.componentType) : undefined;
  const read = (values: number[]): Vector3 => values.map((value) => (scale ? Math.max(value / scale, -1) : value)) as Vector3;
  const [min, max] = [read(accessor.min), read(accessor.max)];
  return min.every(Number.isFinite) && max.every(Number.isFinite) ? { min, max } : undefined;
}

/** The divisor of a normalized integer component type (glTF 2.0, 3.11). */
function normalizedScale(componentType: number | undefined): number | undefined {
  return { 5120: 127, 5121: 255, 5122: 32767, 5123: 65535 }[componentType ?? 0];
}

function localMatrix(node: Record<string, unknown>): Matrix {
  if (Array.isArray(node.matrix) && node.matrix.length === 16 && node.matrix.every((value) => typeof value === 'number')) return node.matrix as number[];
  const [tx, ty, tz] = vector<Vector3>(node.translation, 3, [0, 0, 0]);
  const [x, y, z, w] = vector<[number, number, number, number]>(node.rotation, 4, [0, 0, 0, 1]);
  const [sx, sy, sz] = vector<Vector3>(node.scale, 3, [1, 1, 1]);
  // Rotation from the unit quaternion, columns scaled (glTF: T × R × S).
  return [
    (1 - 2 * (y * y + z * z)) * sx, 2 * (x * y + z * w) * sx, 2 * (x * z - y * w) * sx, 0,
    2 * (x * y - z * w) * sy, (1 - 2 * (x * x + z * z)) * sy, 2 * (y * z + x * w) * sy, 0,
    2 * (x * z + y * w) * sz, 2 * (y * z - x * w) * sz, (1 - 2 * (x * x + y * y)) * sz, 0,
    tx, ty, tz, 1,
  ];
}

function identity(): Matrix {
  return [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
}

function multiply(a: Matrix, b: Matrix): Matrix {
  const out = new Array<number>(16).fill(0);
  for (let column = 0; column < 4; column++) {
    for (let row = 0; row < 4; row++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += a[k * 4 + row]! * b[column * 4 + k]!;
      out[column * 4 + row] = sum;
    }
  }
  return out;
}

/** The axis-aligned bounds of a box's eight corners after a transform. */
function transformBounds(box: { min: Vector3; max: Vector3 }, matrix: Matrix): { min: Vector3; max: Vector3 } {
  const min: Vector3 = [Infinity, Infinity, Infinity];
  const max: Vector3 = [-Infinity, -Infinity, -Infinity];
  for (let corner = 0; corner < 8; corner++) {
    const point = [corner & 1 ? box.max[0] : box.min[0], corner & 2 ? box.max[1] : box.min[1], corner & 4 ? box.max[2] : box.min[2]];
    for (let axis = 0; axis < 3; axis++) {
      const value = matrix[axis]! * point[0]! + matrix[4 + axis]! * point[1]! + matrix[8 + axis]! * point[2]! + matrix[12 + axis]!;
      min[axis] = Math.min(min[axis]!, value);
      max[axis] = Math.max(max[axis]!, value);
    }
  }
  return { min, max };
}

function union(a: { min: Vector3; max: Vector3 }, b: { min: Vector3; max: Vector3 }): { min: Vector3; max: Vector3 } {
  return { min: a.min.map((value, axis) => Math.min(value, b.min[axis]!)) as Vector3, max: a.max.map((value, axis) => Math.max(value, b.max[axis]!)) as Vector3 };
}

function sizeOf(bounds: { min: Vector3; max: Vector3 }): Vector3 {
  return bounds.max.map((value, axis) => value - bounds.min[axis]!) as Vector3;
}

function vector<Tuple extends number[]>(value: unknown, length: Tuple['length'], fallback: Tuple): Tuple {
  return Array.isArray(value) && value.length === length && value.every((entry) => typeof entry === 'number' && Number.isFinite(entry)) ? (value as Tuple) : fallback;
}

function list(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.map((entry) => (entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>) : {})) : [];
}

function indices(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((entry): entry is number => Number.isInteger(entry) && entry >= 0) : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------
// Text for people.

/** Most nodes listed per file in text; `--json` has them all. */
const maxListedNodes = 500;

/** Most validator messages listed per file in text. */
const maxListedMessages = 10;

/** A description as text for a terminal: the tree of node names to bind, sizes, and what the validator found. */
export function formatModelDescription(description: ModelDescription): string {
  const lines: string[] = [];
  const head = `${description.file}${description.bytes > 0 ? ` (${formatBytes(description.bytes)}${description.generator ? `, made by ${description.generator}` : ''})` : ''}`;
  lines.push(head);
  if (description.problem !== undefined) lines.push(`  ✗ ${description.problem}`);
  if (description.problem === undefined) {
    lines.push(`  size:       ${description.bounds ? `${formatSize(sizeOf(description.bounds))} (x × y × z; glTF metres, y up)` : 'no geometry'}`);
    const hint = description.bounds ? unitsHint(sizeOf(description.bounds)) : undefined;
    if (hint) lines.push(`              ${hint}`);
    lines.push(`  triangles:  ${description.triangles.toLocaleString('en')}`);
    lines.push(`  materials:  ${description.materials.length === 0 ? 'none' : description.materials.join(', ')}`);
    lines.push(`  extensions: required ${description.extensionsRequired.join(', ') || 'none'}; used ${description.extensionsUsed.join(', ') || 'none'}`);
  }
  const validation = description.validation;
  if ('failed' in validation) lines.push(`  validator:  did not run (${validation.failed})`);
  else {
    lines.push(`  validator:  ${validation.errors} errors, ${validation.warnings} warnings, ${validation.infos} infos, ${validation.hints} hints`);
    const shown = validation.messages.filter((message) => message.severity === 'error' || message.severity === 'warning');
    for (const message of shown.slice(0, maxListedMessages)) lines.push(`    ${message.severity} ${message.code}${message.where ? ` at ${message.where}` : ''}: ${message.message}`);
    if (shown.length > maxListedMessages) lines.push(`    … ${shown.length - maxListedMessages} more (see --json)`);
  }
  if (description.problem === undefined) {
    lines.push(description.roots.length === 1 ? '  nodes (one root: bind it with node, or leave node out for the whole file):' : `  nodes (${description.roots.length} roots: leave node out for the whole file, or bind one by name):`);
    let listed = 0;
    let total = 0;
    const walk = (node: ModelNode, depth: number) => {
      total++;
      if (listed < maxListedNodes) {
        listed++;
        const name = node.name === '' ? `(unnamed node ${node.index})` : JSON.stringify(node.name);
        const facts = [node.size ? formatSize(node.size) : undefined, node.triangles > 0 ? `${node.triangles.toLocaleString('en')} triangles` : undefined, node.materials.length > 0 ? node.materials.join(', ') : undefined].filter(Boolean);
        lines.push(`    ${'  '.repeat(depth)}${name}${facts.length > 0 ? `  ${facts.join('  ')}` : ''}`);
      }
      for (const child of node.children) walk(child, depth + 1);
    };
    for (const root of description.roots) walk(root, 0);
    if (total > listed) lines.push(`    … ${total - listed} more nodes (see --json)`);
  }
  return `${lines.join('\n')}\n`;
}

/** A hint when a size suggests the file was made in other units than glTF's metres. */
function unitsHint(size: Vector3): string | undefined {
  const largest = Math.max(...size);
  if (largest > 200) return `⚠ ${formatLength(largest)} across is larger than a machine: if the file is in millimetres, give the model units: mm`;
  if (largest > 0 && largest < 0.05) return `⚠ ${formatLength(largest)} across is smaller than a machine: check the file's units`;
  return undefined;
}

function formatSize(size: Vector3): string {
  return `${size.map((value) => formatNumber(value)).join(' × ')} m`;
}

function formatLength(metres: number): string {
  return `${formatNumber(metres)} m`;
}

/** Three significant digits, no exponent for everyday sizes. */
function formatNumber(value: number): string {
  if (value === 0) return '0';
  return Number(value.toPrecision(3)).toLocaleString('en', { maximumFractionDigits: 3 });
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
