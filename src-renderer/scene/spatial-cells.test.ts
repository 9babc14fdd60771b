import { describe, expect, it } from 'vitest';
import { spatialCells } from './spatial-cells.ts';

describe('spatialCells', () => {
  it('keeps a plant smaller than a cell in one cell', () => {
    const cells = spatialCells([[-46, 0, -9], [60, 0, 30]]);
    expect([cells.columns, cells.rows]).toEqual([1, 1]);
    expect(cells.cellOf(0, 0)).toBe(0);
  });

  it('splits a 600 m mill into at most two cells a side, so culling works and draw calls stay bounded', () => {
    const cells = spatialCells([[0, 0, 0], [600, 0, 0], [0, 0, 300], [600, 0, 300]]);
    expect([cells.columns, cells.rows]).toEqual([2, 2]);
    expect(new Set([cells.cellOf(0, 0), cells.cellOf(600, 0), cells.cellOf(0, 300), cells.cellOf(600, 300)]).size).toBe(4);
    // Outside the machines' extent (a position the plant file does not have) still lands in a cell.
    expect(cells.cellOf(-1000, 5000)).toBeGreaterThanOrEqual(0);
    expect(cells.cellOf(-1000, 5000)).toBeLessThan(4);
  });
});
