import { describe, expect, it } from 'vitest';
import { snapTo } from './edit-scene.ts';

describe('snapTo', () => {
  it('snaps to the grid and never gives -0', () => {
    expect(snapTo(1.26, 0.5)).toBe(1.5);
    expect(snapTo(-0.2, 0.5)).toBe(0);
    expect(Object.is(snapTo(-0.2, 0.5), -0)).toBe(false);
    expect(snapTo(37, 15)).toBe(30);
  });
});
