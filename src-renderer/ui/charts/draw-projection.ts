import type uPlot from 'uplot';
import type { ChartProjection } from './chart-projection.ts';

/** The forecast's colours, as the inspector's note and the machine list's cue have them. */
const projectionColours = { predicted: '#e0b050', later: '#8fb3d9' } as const;
const bandColours = { predicted: 'rgba(224, 176, 80, 0.12)', later: 'rgba(143, 179, 217, 0.10)' } as const;

/**
 * Draws a forecast's projected line over the plot: dashed from the last fitted point to the crossing,
 * the crossing ringed, and the earliest–latest range as a faint wedge. Returns the projection when any
 * of it falls within the x scale (null when nothing was drawn). Allocates nothing: it runs every draw.
 */
export function drawProjection(chart: uPlot, projection: ChartProjection | null): ChartProjection | null {
  const { min, max } = chart.scales.x ?? {};
  if (!projection || min === undefined || max === undefined || min === null || max === null) return null;
  if (projection.at / 1000 < min || projection.from / 1000 > max) return null;
  const context = chart.ctx;
  const { left, top, width, height } = chart.bbox;
  const kind = projection.predicted ? 'predicted' : 'later';
  const startX = chart.valToPos(projection.from / 1000, 'x', true);
  const startY = chart.valToPos(projection.value, 'y', true);
  const endX = chart.valToPos(projection.at / 1000, 'x', true);
  const endY = chart.valToPos(projection.limitValue, 'y', true);
  context.save();
  context.beginPath();
  context.rect(left, top, width, height);
  context.clip();
  // The 90 % range: from the start to the earliest and latest crossing (to the plot's edge when the shallowest slope never gets there).
  context.fillStyle = bandColours[kind];
  context.beginPath();
  context.moveTo(startX, startY);
  context.lineTo(chart.valToPos(projection.earliest / 1000, 'x', true), endY);
  context.lineTo(projection.latest === null ? left + width : chart.valToPos(projection.latest / 1000, 'x', true), endY);
  context.closePath();
  context.fill();
  context.strokeStyle = projectionColours[kind];
  context.lineWidth = 1.5 * devicePixelRatio;
  context.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
  context.beginPath();
  context.moveTo(startX, startY);
  context.lineTo(endX, endY);
  context.stroke();
  context.setLineDash([]);
  context.beginPath();
  context.arc(endX, endY, 4 * devicePixelRatio, 0, 2 * Math.PI);
  context.stroke();
  context.restore();
  return projection;
}
