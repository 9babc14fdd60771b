/** How a plant's floor is split into cells, each drawn (and culled) as its own set of batches. */
export interface SpatialCells {
  /** Cells along x and along z. */
  columns: number;
  rows: number;
  /** The cell a floor position falls in, 0 … columns × rows − 1. */
  cellOf(x: number, z: number): number;
}

/**
 * Cells of at least `cellSize` metres, at most `maxPerSide` along each side. Every cell costs one draw
 * per batch of each model kind it holds, while culling a cell saves its vertices: few large cells keep
 * draw calls bounded by model kinds when the whole plant is in view, and still cull most of a large site
 * when the camera is down among its machines.
 */
export function spatialCells(positions: ReadonlyArray<readonly [number, number, number]>, cellSize = 250, maxPerSide = 2): SpatialCells {
  let minX = Infinity;
  let minZ = Infinity;
  let maxX = -Infinity;
  let maxZ = -Infinity;
  for (const [x, , z] of positions) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minZ = Math.min(minZ, z);
    maxZ = Math.max(maxZ, z);
  }
  if (positions.length === 0) return { columns: 1, rows: 1, cellOf: () => 0 };
  const columns = Math.min(maxPerSide, Math.max(1, Math.ceil((maxX - minX) / cellSize)));
  const rows = Math.min(maxPerSide, Math.max(1, Math.ceil((maxZ - minZ) / cellSize)));
  const width = (maxX - minX) / columns || 1;
  const depth = (maxZ - minZ) / rows || 1;
  return {
    columns,
    rows,
    cellOf: (x, z) => {
      const column = Math.min(columns - 1, Math.max(0, Math.floor((x - minX) / width)));
      const row = Math.min(rows - 1, Math.max(0, Math.floor((z - minZ) / depth)));
      return row * columns + column;
    },
  };
}
