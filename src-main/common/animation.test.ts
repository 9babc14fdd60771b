import { describe, expect, it } from 'vitest';
import { isVisible, propertyValue, spinAngle } from './animation.ts';

describe('property bindings', () => {
  it('scales and offsets the signal value', () => {
    expect(propertyValue({ scale: 0.01, offset: 0.5 }, 40)).toBeCloseTo(0.9);
  });

  it('clamps to min and max', () => {
    expect(propertyValue({ scale: 1, offset: 0, min: 0, max: 1.2 }, 5)).toBe(1.2);
    expect(propertyValue({ scale: 1, offset: 0, min: 0, max: 1.2 }, -3)).toBe(0);
  });

  it('shows a node once the bound value reaches one half', () => {
    expect(isVisible({ scale: 1, offset: 0 }, 1)).toBe(true);
    expect(isVisible({ scale: 1, offset: 0 }, 0)).toBe(false);
  });
});

describe('spin', () => {
  it('advances by rate × scale × seconds and wraps to one turn', () => {
    expect(spinAngle(0, 10, 0.1, 0.5)).toBeCloseTo(0.5);
    expect(spinAngle(6, 1, 1, 1)).toBeCloseTo(7 - Math.PI * 2);
    expect(spinAngle(0.1, -1, 1, 0.2)).toBeCloseTo(Math.PI * 2 - 0.1);
  });

  it('stands still at rate 0, as it must when the signal is not fresh', () => {
    expect(spinAngle(1.25, 0, 5, 10)).toBe(1.25);
  });
});
