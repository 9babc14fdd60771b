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
  /** CSS colour for lists and the legend. */
  css: string;
  label: string;
  /** Shape cue for lists and the legend, so colour is never the only cue. */
  symbol: string;
}

const appearances: Record<(typeof healthStates)[number], HealthAppearance> = {
  ok: { tint: new Color('#9aa3ad'), tintAmount: 0, emissive: new Color('#000000'), emissiveIntensity: 0, opacity: 1, pulse: false, css: '#8d99a6', label: 'Normal', symbol: '●' },
  warn: { tint: new Color('#f2a900'), tintAmount: 0.6, emissive: new Color('#f2a900'), emissiveIntensity: 0.25, opacity: 1, pulse: false, css: '#f2a900', label: 'Warning', symbol: '▲' },
  alarm: { tint: new Color('#ff1e1e'), tintAmount: 0.85, emissive: new Color('#ff0000'), emissiveIntensity: 0.45, opacity: 1, pulse: true, css: '#ff3b30', label: 'Alarm', symbol: '◆' },
  stale: { tint: new Color('#7d838a'), tintAmount: 0.85, emissive: new Color('#000000'), emissiveIntensity: 0, opacity: 0.4, pulse: false, css: '#7d838a', label: 'Stale — no fresh data', symbol: '◌' },
  offline: { tint: new Color('#4b5058'), tintAmount: 0.9, emissive: new Color('#000000'), emissiveIntensity: 0, opacity: 0.3, pulse: false, css: '#5a6068', label: 'Offline — broker disconnected', symbol: '✕' },
  bad: { tint: new Color('#a05cd6'), tintAmount: 0.8, emissive: new Color('#000000'), emissiveIntensity: 0, opacity: 0.5, pulse: false, css: '#b07be0', label: 'Bad quality — the source distrusts its value', symbol: '⊘' },
  unknown: { tint: new Color('#b8c2d0'), tintAmount: 0.7, emissive: new Color('#000000'), emissiveIntensity: 0, opacity: 0.55, pulse: false, css: '#b8c2d0', label: 'Unknown — never heard from', symbol: '?' },
};

/** Appearance of a health code; anything unexpected looks unknown, never healthy. */
export function appearanceOf(code: number): HealthAppearance {
  const state = healthStates[code as HealthCode] ?? 'unknown';
  return appearances[state];
}

/** Legend order: most urgent first. */
export const legendOrder: HealthCode[] = [Health.alarm, Health.warn, Health.offline, Health.bad, Health.stale, Health.unknown, Health.ok];
