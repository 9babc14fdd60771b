/** A stretch of time, in milliseconds since the epoch. */
export interface TimeSpan {
  start: number;
  end: number;
}

/** The part of the strip a pointer is over: its left edge and width in CSS pixels. */
export interface StripBox {
  left: number;
  width: number;
}

/** Where a window (re)places a time it has to bring into view, as a fraction of its width. */
const pageLead = 0.1;
/** The fastest a window pans while the pointer is held past an edge: this many spans a second. */
export const maxEdgePanSpansPerSecond = 0.5;
/** How far past an edge (in CSS pixels) the pointer must go for the edge pan to reach full speed. */
const fullSpeedOvershootPixels = 120;

/** The time under `clientX`, within the window: the strip maps its width linearly onto the window. */
export function timeAtPointer(window: TimeSpan, box: StripBox, clientX: number): number {
  const fraction = box.width > 0 ? Math.min(1, Math.max(0, (clientX - box.left) / box.width)) : 0;
  return window.start + fraction * (window.end - window.start);
}

/** Where `time` falls on the strip: 0 at its left edge, 1 at its right; beyond them outside the window. */
export function fractionOf(window: TimeSpan, time: number): number {
  return (time - window.start) / Math.max(1, window.end - window.start);
}

/** Moves a window of fixed length so that it lies within `range` (or is the whole range when longer). */
export function clampWindow(start: number, span: number, range: TimeSpan): TimeSpan {
  if (span <= 0 || range.end - range.start <= span) return { start: range.start, end: Math.max(range.end, range.start + 1) };
  const from = Math.min(Math.max(range.start, start), range.end - span);
  return { start: from, end: from + span };
}

/**
 * The shown window widened to whole seconds, for what follows it (the stretch an export takes, the
 * timeline's requests), which need not change on every frame of playback: its start rounded down and
 * its end up to the last millisecond of its second, so every moment shown stays inside.
 */
export function wholeSecondWindow(visible: TimeSpan): TimeSpan {
  return { start: Math.floor(visible.start / 1000) * 1000, end: Math.floor(visible.end / 1000) * 1000 + 999 };
}

/**
 * The window the strip shows next. It stays where it is while `held` (the pointer is down on the
 * strip, or the user panned it) and while the shown time is inside it, so a press lands where it
 * points and small moves stay small. Only when the time leaves it (playing, a step, a jump, live
 * going on) does it page, placing the time near the edge it moves towards; a new zoom centres it on
 * the time. `span` 0 (or a range shorter than it) shows the whole range.
 */
export function nextWindow(previous: TimeSpan | undefined, options: { span: number; range: TimeSpan; time: number; held: boolean }): TimeSpan {
  const { span, range, time, held } = options;
  if (span <= 0 || range.end - range.start <= span) return clampWindow(range.start, 0, range);
  const sameSpan = previous !== undefined && Math.abs(previous.end - previous.start - span) < 1;
  if (!sameSpan) return clampWindow(time - span / 2, span, range);
  if (held) return previous;
  if (time >= previous.start && time <= previous.end) return clampWindow(previous.start, span, range);
  if (time > previous.end) return clampWindow(time - span * pageLead, span, range);
  return clampWindow(time - span * (1 - pageLead), span, range);
}

/** Moves a window by `milliseconds` (negative: back in time), within `range`. */
export function panWindow(window: TimeSpan, milliseconds: number, range: TimeSpan): TimeSpan {
  return clampWindow(window.start + milliseconds, window.end - window.start, range);
}

/**
 * How fast (milliseconds of time per second) a window pans while the pointer is held at `clientX`:
 * 0 inside the strip, growing with the distance past an edge up to half a window a second, negative
 * past the left edge. A deliberate, bounded pan: the time never runs away.
 */
export function edgePanRate(window: TimeSpan, box: StripBox, clientX: number): number {
  const overshoot = clientX < box.left ? clientX - box.left : clientX > box.left + box.width ? clientX - (box.left + box.width) : 0;
  if (overshoot === 0) return 0;
  const strength = Math.min(1, Math.abs(overshoot) / fullSpeedOvershootPixels);
  return Math.sign(overshoot) * strength * maxEdgePanSpansPerSecond * (window.end - window.start);
}

/** The range between two times in either order, within `range`, rounded to whole milliseconds. */
export function rangeBetween(first: number, second: number, range: TimeSpan): TimeSpan {
  const clamp = (time: number) => Math.round(Math.min(range.end, Math.max(range.start, time)));
  return { start: clamp(Math.min(first, second)), end: clamp(Math.max(first, second)) };
}

/** A range's left edge and width on the strip in percent, cut to the window; null when it lies outside. */
export function rangeOnStrip(window: TimeSpan, range: TimeSpan): { left: number; width: number } | null {
  const left = Math.max(0, fractionOf(window, range.start));
  const right = Math.min(1, fractionOf(window, range.end));
  if (right < 0 || left > 1 || right < left) return null;
  return { left: left * 100, width: (right - left) * 100 };
}
