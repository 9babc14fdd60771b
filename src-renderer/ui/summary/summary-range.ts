import { defaultShifts, shiftAt, type Shift, type ShiftClock } from '../../../src-main/common/shift-summary.ts';

/**
 * The range a summary covers: the timeline's selected range when there is one, else the shift the
 * moment shown falls in (live: now) among the plant's `shifts`, up to that moment, since later is not yet recorded.
 */
export function summaryRange(selected: { start: number; end: number } | null, shown: number, clock: ShiftClock, shifts: readonly Shift[] = defaultShifts): { name: string; from: number; to: number } {
  if (selected && selected.end > selected.start) return { name: 'Selected range', from: Math.floor(selected.start), to: Math.ceil(selected.end) };
  const shift = shiftAt(shown, clock, shifts);
  return { name: `${shift.name} shift`, from: shift.from, to: Math.max(shift.from, Math.min(shift.to, Math.ceil(shown))) };
}
