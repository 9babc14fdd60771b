/** Draws text in a dark box onto a video frame, for the burned-in time, plant name and captions; `x` is where the text is anchored by `align`. */
export function drawLabel(context: CanvasRenderingContext2D, text: string, x: number, y: number, size: number, align: 'left' | 'center' | 'right'): void {
  context.font = `600 ${size}px system-ui, sans-serif`;
  context.textAlign = align;
  context.textBaseline = 'middle';
  const width = context.measureText(text).width;
  const padding = size * 0.4;
  const left = align === 'center' ? x - width / 2 : align === 'right' ? x - width : x;
  context.fillStyle = 'rgba(15, 18, 22, 0.82)';
  context.fillRect(left - padding, y - size * 0.75, width + 2 * padding, size * 1.5);
  context.fillStyle = '#f2f5f8';
  context.fillText(text, x, y);
}
