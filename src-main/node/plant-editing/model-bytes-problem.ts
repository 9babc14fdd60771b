/**
 * Why the bytes are not the glTF model their name says, or undefined when they are: a .glb must carry
 * the binary glTF header (magic "glTF", version 2, its own length); a .gltf must be a JSON object with
 * an `asset` naming its version. Loading is the view's test of the rest.
 */
export function modelBytesProblem(name: string, bytes: Uint8Array): string | undefined {
  if (name.toLowerCase().endsWith('.glb')) {
    if (bytes.length < 20) return 'it is too short to be a binary glTF file';
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== 0x46546c67) return 'it does not start as a binary glTF file does ("glTF")';
    if (view.getUint32(4, true) !== 2) return `it is binary glTF version ${view.getUint32(4, true)}, not 2`;
    if (view.getUint32(8, true) !== bytes.length) return `its header says ${view.getUint32(8, true)} bytes, but it has ${bytes.length}`;
    return undefined;
  }
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return `it is not JSON text (${error instanceof Error ? error.message : String(error)})`;
  }
  const asset = document !== null && typeof document === 'object' ? (document as { asset?: unknown }).asset : undefined;
  if (asset === null || typeof asset !== 'object' || typeof (asset as { version?: unknown }).version !== 'string') return 'it is JSON, but not glTF (no asset.version)';
  return undefined;
}
