import { readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { type Accessor, type Document, NodeIO, Primitive } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { MeshoptDecoder, MeshoptSimplifier } from 'meshoptimizer';
import { gltfFileReferences, maxGltfJsonBytes } from '../common/gltf-file-references.ts';
import { defaultLodRatio, simplifyTriangles } from '../common/simplify-triangles.ts';
import { maxModelBytes } from './describe-models.ts';

// draco3dgltf ships CommonJS without type declarations.
const require = createRequire(import.meta.url);
const draco3d = require('draco3dgltf') as { createDecoderModule(): Promise<unknown> };

/** What `twinline models --lod` did with one file. */
export interface LodModelResult {
  file: string;
  /** The simplified file written, when it was. */
  written?: string;
  trianglesBefore: number;
  trianglesAfter: number;
  /** Why no file was written, in words. */
  problem?: string;
}

/** Compression extensions that need an encoder to write: the far level is written without them (it is small already). */
const compressionExtensions = new Set(['KHR_draco_mesh_compression', 'EXT_meshopt_compression']);

let io: Promise<NodeIO> | undefined;

/** One reader for every file: all glTF extensions, Draco and meshopt decoders, started once. */
function modelIo(): Promise<NodeIO> {
  io ??= (async () => {
    await MeshoptDecoder.ready;
    await MeshoptSimplifier.ready;
    return new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({ 'draco3d.decoder': await draco3d.createDecoderModule(), 'meshopt.decoder': MeshoptDecoder });
  })();
  return io;
}

/** The far level's file name for a model: `press.glb` → `press.lod.glb` (always binary glTF), in `directory` or beside it. */
export function lodFileName(file: string, directory?: string): string {
  const name = `${basename(file, extname(file))}.lod.glb`;
  return join(directory ?? dirname(file), name);
}

/**
 * Writes a simplified copy of a model file (`lodFileName`): every triangle mesh keeps about `ratio` of
 * its triangles (see `simplifyTriangles`), nodes, names, materials and textures stay as they are, so a
 * plant's `node`/`nodes` and animations bind the same. A file that cannot be read gets a result whose
 * `problem` says why, never a throw, and nothing is written for it.
 */
export async function writeLodModel(file: string, options: { ratio?: number; directory?: string } = {}): Promise<LodModelResult> {
  const ratio = options.ratio ?? defaultLodRatio;
  const result: LodModelResult = { file, trianglesBefore: 0, trianglesAfter: 0 };
  const target = lodFileName(file, options.directory);
  if (target === file) return { ...result, problem: `would overwrite itself: ${file}` };
  let document: Document;
  try {
    const size = (await stat(file)).size + (extname(file).toLowerCase() === '.gltf' ? await referencedBytes(file) : 0);
    if (size > maxModelBytes) return { ...result, problem: `is ${size} bytes with the files it refers to, more than the ${maxModelBytes} a model may have` };
    document = await (await modelIo()).read(file);
  } catch (error) {
    if (error instanceof RefusedModel) return { ...result, problem: `is not simplified: it ${error.message}` };
    return { ...result, problem: `cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  for (const mesh of document.getRoot().listMeshes()) {
    for (const primitive of mesh.listPrimitives()) {
      const counts = simplifyPrimitive(document, primitive, ratio);
      result.trianglesBefore += counts.before;
      result.trianglesAfter += counts.after;
    }
  }
  for (const extension of document.getRoot().listExtensionsUsed()) if (compressionExtensions.has(extension.extensionName)) extension.dispose();
  for (const accessor of document.getRoot().listAccessors()) if (accessor.listParents().length <= 1) accessor.dispose();
  try {
    await writeFile(target, await (await modelIo()).writeBinary(document));
  } catch (error) {
    return { ...result, problem: `cannot write ${target}: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { ...result, written: target };
}

/** A model file that must not be read as it is: its message says why. */
class RefusedModel extends Error {}

/**
 * Bytes of the files a .gltf refers to beside it; throws (RefusedModel) for a reference outside its
 * folder, absolute or of another scheme — those would be read and copied into the written file.
 */
async function referencedBytes(file: string): Promise<number> {
  if ((await stat(file)).size > maxGltfJsonBytes) throw new RefusedModel(`its JSON is larger than ${maxGltfJsonBytes} bytes`);
  const references = gltfFileReferences(basename(file), await readFile(file, 'utf8'));
  const refused = references.refused[0];
  if (refused) throw new RefusedModel(`refers to ${refused.uri}: ${refused.reason}`);
  let bytes = 0;
  for (const reference of references.files) bytes += (await stat(join(dirname(file), reference))).size;
  return bytes;
}

/**
 * Simplifies one primitive in place (triangle lists only; a primitive with morph targets is kept, as its
 * targets would need the same collapse) and keeps only the vertices its triangles still use.
 */
function simplifyPrimitive(document: Document, primitive: Primitive, ratio: number): { before: number; after: number } {
  const position = primitive.getAttribute('POSITION');
  if (!position || primitive.getMode() !== Primitive.Mode.TRIANGLES) return { before: 0, after: 0 };
  const vertexCount = position.getCount();
  const indexAccessor = primitive.getIndices();
  const indices = indexAccessor ? Uint32Array.from(indexAccessor.getArray()!) : Uint32Array.from({ length: vertexCount }, (_, vertex) => vertex);
  const before = Math.floor(indices.length / 3);
  if (primitive.listTargets().length > 0) return { before, after: before };
  // getElement undoes quantization (normalized integers), so the error bound is in the mesh's own units.
  const positions = new Float32Array(vertexCount * 3);
  const element = [0, 0, 0];
  for (let vertex = 0; vertex < vertexCount; vertex++) positions.set(position.getElement(vertex, element), vertex * 3);
  const simplified = simplifyTriangles(MeshoptSimplifier, positions, indices, ratio);
  if (simplified === indices) return { before, after: before };
  // Keep only the vertices still used, in first-use order.
  const remap = new Int32Array(vertexCount).fill(-1);
  const kept: number[] = [];
  const compact = new Uint32Array(simplified.length);
  simplified.forEach((vertex, corner) => {
    if (remap[vertex] === -1) remap[vertex] = kept.push(vertex) - 1;
    compact[corner] = remap[vertex]!;
  });
  for (const semantic of primitive.listSemantics()) primitive.setAttribute(semantic, keptCopy(document, primitive.getAttribute(semantic)!, kept));
  const buffer = position.getBuffer();
  const indexArray = kept.length <= 65_535 ? Uint16Array.from(compact) : compact;
  primitive.setIndices(document.createAccessor().setType('SCALAR').setArray(indexArray).setBuffer(buffer));
  return { before, after: simplified.length / 3 };
}

/** A new accessor holding only the `kept` elements of `source`, in the same storage (type, normalization). */
function keptCopy(document: Document, source: Accessor, kept: readonly number[]): Accessor {
  const size = source.getElementSize();
  const array = source.getArray()!;
  const Storage = array.constructor as new (length: number) => typeof array;
  const copy = new Storage(kept.length * size);
  kept.forEach((vertex, index) => {
    for (let component = 0; component < size; component++) copy[index * size + component] = array[vertex * size + component]!;
  });
  return document.createAccessor(source.getName()).setType(source.getType()).setArray(copy).setNormalized(source.getNormalized()).setBuffer(source.getBuffer());
}

/** One file's result as `twinline models --lod` prints it. */
export function formatLodResult(result: LodModelResult): string {
  if (result.problem !== undefined) return `${result.file}: ${result.problem}\n`;
  const share = result.trianglesBefore > 0 ? ` (${Math.round((result.trianglesAfter / result.trianglesBefore) * 100)} %)` : '';
  return `${result.file}: ${result.trianglesBefore.toLocaleString('en-US')} → ${result.trianglesAfter.toLocaleString('en-US')} triangles${share}, wrote ${result.written}\n`;
}
