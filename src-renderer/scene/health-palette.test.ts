import { describe, expect, it } from 'vitest';
import { healthStates, type HealthCode } from '../../src-main/common/health.ts';
import { appearanceOf, relativeLuminance } from './health-palette.ts';

/** WCAG 2 contrast ratio of two luminances: 1 when equal, 21 for black on white. */
const contrast = (first: number, second: number) => (Math.max(first, second) + 0.05) / (Math.min(first, second) + 0.05);
/** Lightness apart enough to tell two states of the strip with no hue at all (greyscale, colour blindness). */
const minimumContrast = 1.3;
const stripBackground = '#15181c';

describe('the strip and legend colours', () => {
  it('measure luminance as WCAG does', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 6);
    expect(contrast(relativeLuminance('#000000'), relativeLuminance('#ffffff'))).toBeCloseTo(21, 6);
  });

  it('differ pairwise in lightness, not only in hue: ok, stale, offline, unknown, bad, warn and alarm', () => {
    const states = healthStates.map((state, code) => ({ state, css: appearanceOf(code as HealthCode).css }));
    expect(new Set(states.map(({ css }) => css)).size).toBe(healthStates.length);
    for (const [index, first] of states.entries()) {
      for (const second of states.slice(index + 1)) {
        const ratio = contrast(relativeLuminance(first.css), relativeLuminance(second.css));
        expect(ratio, `${first.state} ${first.css} against ${second.state} ${second.css}`).toBeGreaterThanOrEqual(minimumContrast);
      }
      // Even the darkest state stands out from the empty strip behind it.
      expect(contrast(relativeLuminance(first.css), relativeLuminance(stripBackground)), `${first.state} on the strip`).toBeGreaterThanOrEqual(minimumContrast);
    }
  });
});
