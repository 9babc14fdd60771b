import { maxModelUploadBytes } from '../../common/model-upload.ts';
import type { CompanionFile } from './gltf-bundle-problem.ts';

/** Image types a packed image may carry, by file name ending: the glTF 2.0 core ones and the common extensions'. */
const imageTypes: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', ktx2: 'image/ktx2' };

/** Where each part of the new binary chunk starts: a multiple of this, so every accessor stays aligned. */
const alignment = 8;

type Json = Record<string, unknown>;

/** The bytes a buffer or image URI names: a base64 data: URI, or a file dropped with the .gltf (checked by `gltfBundleProblem`). */
function bytesOf(uri: string, files: ReadonlyMap<string, Uint8Array>): { bytes: Uint8Array; mimeType: string | undefined } {
  if (uri.startsWith('data:')) {
    const comma = uri.indexOf(',');
    const header = uri.slice(5, comma);
    if (comma < 0 || !header.endsWith(';base64')) throw new Error('a data: URI that is not base64');
    return { bytes: Buffer.from(uri.slice(comma + 1), 'base64'), mimeType: header.slice(0, -';base64'.length) || undefined };
  }
  const name = decodeURIComponent(uri);
  const bytes = files.get(name);
  if (!bytes) throw new Error(`${name} was not dropped with it`);
  const ending = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return { bytes, mimeType: imageTypes[ending] };
}

/**
 * A .gltf and the files it refers to, packed into one binary glTF (.glb): every buffer becomes a part of
 * the one binary chunk (bufferViews moved to it, EXT_meshopt_compression's references too), every image
 * given by URI becomes a bufferView with its MIME type. Throws, saying why, when it cannot be packed: a
 * buffer without a URI, a data: URI that is not base64, an image of a type glTF does not know, or a
 * binary chunk larger than an upload may be.
 */
export function packGltfAsGlb(gltfText: string, companions: readonly CompanionFile[]): Buffer {
  const document = JSON.parse(gltfText) as Json;
  const files = new Map(companions.map((file) => [file.name, file.bytes]));
  const parts: Uint8Array[] = [];
  let length = 0;
  const append = (bytes: Uint8Array): number => {
    const offset = Math.ceil(length / alignment) * alignment;
    // A file is packed once for each buffer or image naming it: a small .gltf naming one file thousands of times must not fill the host's memory.
    if (offset + bytes.length > maxModelUploadBytes) throw new Error(`packed, it would hold more than ${maxModelUploadBytes} bytes (a file named by several buffers or images counts each time)`);
    if (offset > length) parts.push(new Uint8Array(offset - length));
    parts.push(bytes);
    length = offset + bytes.length;
    return offset;
  };
  const buffers = Array.isArray(document.buffers) ? (document.buffers as Json[]) : [];
  const bufferStarts = buffers.map((buffer, index) => {
    if (typeof buffer.uri !== 'string') throw new Error(`its buffer ${index} has no URI (a .gltf's buffers are files or data: URIs)`);
    const byteLength = typeof buffer.byteLength === 'number' ? buffer.byteLength : 0;
    const { bytes } = bytesOf(buffer.uri, files);
    if (bytes.length < byteLength) throw new Error(`its buffer ${index} has ${bytes.length} bytes, but the .gltf says ${byteLength}`);
    return append(bytes.subarray(0, byteLength));
  });
  const views = Array.isArray(document.bufferViews) ? (document.bufferViews as Json[]) : [];
  const moved = (index: unknown): number => {
    const start = typeof index === 'number' ? bufferStarts[index] : undefined;
    if (start === undefined) throw new Error(`a bufferView names buffer ${String(index)}, which it does not have`);
    return start;
  };
  for (const view of views) {
    view.byteOffset = moved(view.buffer) + (typeof view.byteOffset === 'number' ? view.byteOffset : 0);
    view.buffer = 0;
    const meshopt = (view.extensions as Json | undefined)?.EXT_meshopt_compression as Json | undefined;
    if (meshopt) {
      meshopt.byteOffset = moved(meshopt.buffer) + (typeof meshopt.byteOffset === 'number' ? meshopt.byteOffset : 0);
      meshopt.buffer = 0;
    }
  }
  const images = Array.isArray(document.images) ? (document.images as Json[]) : [];
  for (const [index, image] of images.entries()) {
    if (typeof image.uri !== 'string') continue;
    const { bytes, mimeType } = bytesOf(image.uri, files);
    if (mimeType === undefined || !Object.values(imageTypes).includes(mimeType)) throw new Error(`its image ${index} (${image.uri.slice(0, 80)}) is not a PNG, JPEG, WebP or KTX2 file`);
    const byteOffset = append(bytes);
    views.push({ buffer: 0, byteOffset, byteLength: bytes.length });
    delete image.uri;
    image.bufferView = views.length - 1;
    image.mimeType = mimeType;
  }
  if (views.length > 0) document.bufferViews = views;
  const binary = Buffer.concat([...parts, new Uint8Array((4 - (length % 4)) % 4)]);
  if (length > 0) document.buffers = [{ byteLength: length }];
  else delete document.buffers;
  const jsonText = Buffer.from(JSON.stringify(document), 'utf8');
  const json = Buffer.concat([jsonText, Buffer.alloc((4 - (jsonText.length % 4)) % 4, 0x20)]);
  const total = 12 + 8 + json.length + (length > 0 ? 8 + binary.length : 0);
  const header = Buffer.alloc(20);
  header.writeUInt32LE(0x46546c67, 0);
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(total, 8);
  header.writeUInt32LE(json.length, 12);
  header.writeUInt32LE(0x4e4f534a, 16);
  if (length === 0) return Buffer.concat([header, json]);
  const binaryHeader = Buffer.alloc(8);
  binaryHeader.writeUInt32LE(binary.length, 0);
  binaryHeader.writeUInt32LE(0x004e4942, 4);
  return Buffer.concat([header, json, binaryHeader, binary]);
}
