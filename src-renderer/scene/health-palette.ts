import { Color } from 'three';
import { Health, healthStates, type HealthCode } from '../../src-main/common/health.ts';

/**
 * How each state looks. Normal keeps the model's own muted colours (high-performance HMI: colour is
 * for the abnormal); every state also has a cue besides hue: alarm pulses, warn glows steadily,
 * stale and offline turn translucent grey, unknown is pale and translucent.
 */
export interface HealthAppearance {
  /** Colour the surface is pulled towards, and how far (0 keeps the model's colour). */
  tint: Color;
  tintAmount: number;
  emissive: Color;
  emissiveIntensity: number;
  opacity: number;
  pulse: boolean;
  /**
   * CSS colour for the timeline's strip and the legend: opaque, and each state differs from every other
   * in lightness as well as hue (ok dark green, offline darker grey, …, unknown palest), so the strip reads
   * without colour vision and in greyscale print.
   */
  css: string;
  label: string;
  /** Shape cue for lists and the legend, so colour is never the only cue. */
  symbol: string;
}

const appearances: Record<(typeof healthStates)[number], HealthAppearance> = {
  ok: { tint: new Color('#9aa3ad'), tintAmount: 0, emissive: new Color('#000000'), emissiveIntensity: 0, opacity: 1, pulse: false, css: '#2b5e45', label: 'Normal', symbol: '●' },
  warn: { tint: new Color('#f2a900'), tintAmount: 0.6, emissive: new Color('#f2a900'), emissiveIntensity: 0.25, opacity: 1, pulse: false, css: '#f2a900', label: 'Warning', symbol: '▲' },
  alarm: { tint: new Color('#ff1e1e'), tintAmount: 0.85, emissive: new Color('#ff0000'), emissiveIntensity: 0.45, opacity: 1, pulse: true, css: '#f52a1f', label: 'Alarm', symbol: '◆' },
  stale: { tint: new Color('#7d838a'), tintAmount: 0.85, emissive: new Color('#000000'), emissiveIntensity: 0, opacity: 0.4, pulse: false, css: '#61666d', label: 'Stale — no fresh data', symbol: '◌' },
  offline: { tint: new Color('#4b5058'), tintAmount: 0.9, emissive: new Color('#000000'), emissiveIntensity: 0, opacity: 0.3, pulse: false, css: '#383d45', label: 'Offline — broker disconnected', symbol: '✕' },
  bad: { tint: new Color('#a05cd6'), tintAmount: 0.8, emissive: new Color('#000000'), emissiveIntensity: 0, opacity: 0.5, pulse: false, css: '#b47ff2', label: 'Bad quality — the source distrusts its value', symbol: '⊘' },
  unknown: { tint: new Color('#b8c2d0'), tintAmount: 0.7, emissive: new Color('#000000'), emissiveIntensity: 0, opacity: 0.55, pulse: false, css: '#e4e9ef', label: 'Unknown — never heard from', symbol: '?' },
};

/** Appearance of a health code; anything unexpected looks unknown, never healthy. */
export function appearanceOf(code: number): HealthAppearance {
  const state = healthStates[code as HealthCode] ?? 'unknown';
  return appearances[state];
}

/** WCAG 2 relative luminance of a CSS colour written "#rrggbb": 0 for black, 1 for white. */
export function relativeLuminance(css: string): number {
  const channels = [1, 3, 5].map((offset) => Number.parseInt(css.slice(offset, offset + 2), 16) / 255);
  const [red, green, blue] = channels.map((channel) => (channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4));
  return 0.2126 * red! + 0.7152 * green! + 0.0722 * blue!;
}

/** Legend order: most urgent first. */
export const legendOrder: HealthCode[] = [Health.alarm, Health.warn, Health.offline, Health.bad, Health.stale, Health.unknown, Health.ok];
