import { describe, expect, it } from 'vitest';
import { clampWindow, edgePanRate, fractionOf, maxEdgePanSpansPerSecond, nextWindow, panWindow, rangeBetween, rangeOnStrip, timeAtPointer, wholeSecondWindow } from './timeline-geometry.ts';

const minute = 60_000;
// The case: a 5-minute window, 10:22:23–10:27:23, in a longer recording.
const range = { start: Date.UTC(2026, 10, 25, 10, 0, 0), end: Date.UTC(2026, 10, 25, 11, 0, 0) };
const window = { start: Date.UTC(2026, 10, 25, 10, 22, 23), end: Date.UTC(2026, 10, 25, 10, 27, 23) };
const box = { left: 100, width: 800 };

describe('the pointer and the time under it', () => {
  it('lands at the time under the pointer, at 20, 50 and 80 % of the strip', () => {
    for (const fraction of [0.2, 0.5, 0.8]) {
      const time = timeAtPointer(window, box, box.left + fraction * box.width);
      expect(time).toBeCloseTo(window.start + fraction * 5 * minute, 6);
      expect(fractionOf(window, time)).toBeCloseTo(fraction, 9);
    }
    // 80 % of 10:22:23–10:27:23 is 10:26:23, never past the window's end.
    expect(timeAtPointer(window, box, box.left + 0.8 * box.width)).toBe(Date.UTC(2026, 10, 25, 10, 26, 23));
  });

  it('holding the button keeps the window, so the same pointer keeps the same time', () => {
    const pressed = timeAtPointer(window, box, box.left + 0.8 * box.width);
    let shown = window;
    let time = pressed;
    // Five 1-pixel nudges, each followed by what the view does: show the time it seeked to.
    for (let nudge = 1; nudge <= 5; nudge++) {
      time = timeAtPointer(shown, box, box.left + 0.8 * box.width + nudge);
      shown = nextWindow(shown, { span: 5 * minute, range, time, held: true });
    }
    expect(shown).toEqual(window);
    expect(time - pressed).toBeCloseTo((5 / box.width) * 5 * minute, 6);
  });

  it('keeps a released window while the time stays inside it', () => {
    const time = window.start + 0.8 * 5 * minute;
    expect(nextWindow(window, { span: 5 * minute, range, time, held: false })).toEqual(window);
  });

  it('clamps the pointer to the strip', () => {
    expect(timeAtPointer(window, box, 0)).toBe(window.start);
    expect(timeAtPointer(window, box, 5000)).toBe(window.end);
  });
});

describe('the window', () => {
  it('pages forward when the time passes its end, placing the time near the left', () => {
    const next = nextWindow(window, { span: 5 * minute, range, time: window.end + 1000, held: false });
    expect(fractionOf(next, window.end + 1000)).toBeCloseTo(0.1, 6);
    expect(next.end - next.start).toBe(5 * minute);
  });

  it('pages back when the time goes before its start, placing the time near the right', () => {
    const next = nextWindow(window, { span: 5 * minute, range, time: window.start - 1000, held: false });
    expect(fractionOf(next, window.start - 1000)).toBeCloseTo(0.9, 6);
  });

  it('does not follow the time while held', () => {
    expect(nextWindow(window, { span: 5 * minute, range, time: range.end, held: true })).toBe(window);
  });

  it('centres on the time at a new zoom, within the recording', () => {
    const time = window.start;
    expect(nextWindow(window, { span: 30 * minute, range, time, held: false })).toEqual({ start: time - 15 * minute, end: time + 15 * minute });
    expect(nextWindow(window, { span: 30 * minute, range, time: range.end, held: false })).toEqual({ start: range.end - 30 * minute, end: range.end });
  });

  it('shows the whole recording at zoom All or when the recording is shorter than the zoom', () => {
    expect(nextWindow(window, { span: 0, range, time: window.start, held: true })).toEqual(range);
    expect(nextWindow(undefined, { span: 2 * 3_600_000, range, time: window.start, held: false })).toEqual(range);
    expect(clampWindow(5, 0, { start: 5, end: 5 })).toEqual({ start: 5, end: 6 });
  });

  it('follows live at the recording end as the recording grows', () => {
    const live = clampWindow(range.end - 5 * minute, 5 * minute, range);
    const grown = { start: range.start, end: range.end + 2000 };
    expect(nextWindow(live, { span: 5 * minute, range: grown, time: grown.end, held: false })).toEqual({ start: grown.end - 5 * minute, end: grown.end });
  });

  it('pans by a given time, never past the recording', () => {
    expect(panWindow(window, 2 * minute, range)).toEqual({ start: window.start + 2 * minute, end: window.end + 2 * minute });
    expect(panWindow(window, -3_600_000, range)).toEqual({ start: range.start, end: range.start + 5 * minute });
  });
});

describe('the edge pan', () => {
  it('is still inside the strip and grows past an edge up to half a window a second', () => {
    expect(edgePanRate(window, box, box.left + 10)).toBe(0);
    expect(edgePanRate(window, box, box.left + box.width)).toBe(0);
    const near = edgePanRate(window, box, box.left + box.width + 12);
    const far = edgePanRate(window, box, box.left + box.width + 10_000);
    expect(near).toBeGreaterThan(0);
    expect(far).toBeGreaterThan(near);
    expect(far).toBe(maxEdgePanSpansPerSecond * 5 * minute);
    expect(edgePanRate(window, box, box.left - 10_000)).toBe(-maxEdgePanSpansPerSecond * 5 * minute);
  });
});

describe('a selected range', () => {
  it('is ordered, within the recording and in whole milliseconds', () => {
    expect(rangeBetween(window.end + 0.4, window.start, range)).toEqual({ start: window.start, end: window.end });
    expect(rangeBetween(range.start - 5000, range.start + 30_000, range)).toEqual({ start: range.start, end: range.start + 30_000 });
  });

  it('is drawn cut to the window, and not at all outside it', () => {
    expect(rangeOnStrip(window, { start: window.start + minute, end: window.start + 2 * minute })).toEqual({ left: 20, width: 20 });
    expect(rangeOnStrip(window, { start: window.start - minute, end: window.start + minute })).toEqual({ left: 0, width: 20 });
    expect(rangeOnStrip(window, { start: window.end + 1, end: window.end + minute })).toBeNull();
  });
});

describe('the window in whole seconds', () => {
  it('holds every moment shown, also in the second half of its first second', () => {
    // A recording that began at 10.6 s, with an alarm raised at 10.9 s: an export of the shown stretch must hold the raise.
    const visible = { start: 10_600, end: 42_400 };
    const whole = wholeSecondWindow(visible);
    expect(whole).toEqual({ start: 10_000, end: 42_999 });
    for (const moment of [10_600, 10_900, 42_400]) {
      expect(moment).toBeGreaterThanOrEqual(whole.start);
      expect(moment).toBeLessThanOrEqual(whole.end);
    }
  });

  it('changes only when a whole second is crossed, so playback does not refetch every frame', () => {
    expect(wholeSecondWindow({ start: 5_001, end: 8_002 })).toEqual(wholeSecondWindow({ start: 5_999, end: 8_998 }));
    expect(wholeSecondWindow({ start: 6_000, end: 9_000 })).not.toEqual(wholeSecondWindow({ start: 5_999, end: 8_999 }));
  });
});
