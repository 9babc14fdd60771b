/**
 * The part of meshoptimizer's simplifier (`MeshoptSimplifier`) the level of detail uses, named here by
 * its shape so that this pure module imports no library: the view and the host each pass their own.
 */
export interface TriangleSimplifier {
  simplify(indices: Uint32Array, positions: Float32Array, stride: number, targetIndexCount: number, targetError: number, flags?: Array<'LockBorder' | 'Permissive' | 'Prune' | 'ErrorAbsolute'>): [Uint32Array, number];
  simplifySloppy(indices: Uint32Array, positions: Float32Array, stride: number, lock: Uint8Array | null, targetIndexCount: number, targetError: number): [Uint32Array, number];
}

/** Share of triangles the far level keeps when nothing else is asked for. */
export const defaultLodRatio = 0.2;

/**
 * Largest deviation from the full mesh a simplified file may show, relative to each mesh's extent: 2 %
 * of a 4 m machine is 8 cm, which a file meant for far away can afford whatever the view does with it.
 */
export const lodMaxError = 0.02;

/** Meshes with fewer triangles than this are kept as they are: simplifying them saves nothing worth a second draw. */
export const lodMinTriangles = 64;

/**
 * The triangles (as corner indices into `positions`, xyz per vertex) of a coarser version of the mesh,
 * keeping about `ratio` of them where the shape allows within `maxError` (relative to the mesh's extent). Attribute seams (the split
 * vertices of hard edges and of parts merged together) may collapse, as a far view cannot tell; when the
 * careful pass still keeps more than twice the target, a sloppy pass (clustering, same error bound) is
 * tried, and the smaller result wins. Returns the input indices when there is nothing to gain.
 */
export function simplifyTriangles(simplifier: TriangleSimplifier, positions: Float32Array, indices: Uint32Array, ratio = defaultLodRatio, maxError = lodMaxError): Uint32Array {
  if (!(ratio > 0 && ratio <= 1)) throw new Error(`a level-of-detail ratio is between 0 and 1, not ${ratio}`);
  if (indices.length % 3 !== 0) throw new Error(`a triangle list holds whole triangles, not ${indices.length} corners`);
  if (positions.length % 3 !== 0) throw new Error(`positions are xyz per vertex, not ${positions.length} numbers`);
  const vertexCount = positions.length / 3;
  for (const corner of indices) if (corner >= vertexCount) throw new Error(`a triangle names vertex ${corner} of ${vertexCount}`);
  const triangles = indices.length / 3;
  if (triangles < lodMinTriangles || ratio === 1) return indices;
  const target = Math.max(3, Math.floor(triangles * ratio) * 3);
  let [best] = simplifier.simplify(indices, positions, 3, target, maxError, ['Permissive', 'Prune']);
  if (best.length > target * 2) {
    const [sloppy] = simplifier.simplifySloppy(indices, positions, 3, null, target, maxError);
    // A sloppy pass can erase a thin mesh entirely: keep it only when something is left.
    if (sloppy.length > 0 && sloppy.length < best.length) best = sloppy;
  }
  return best.length > 0 && best.length < indices.length ? best : indices;
}
