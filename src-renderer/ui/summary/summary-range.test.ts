import { describe, expect, it } from 'vitest';
import { shiftAt } from '../../../src-main/common/shift-summary.ts';
import { summaryRange } from './summary-range.ts';

const at = (hour: number, minute = 0) => Date.UTC(2026, 10, 25, hour, minute);

describe('summaryRange', () => {
  it('takes the selected range when there is one', () => {
    expect(summaryRange({ start: at(3), end: at(4) + 0.5 }, at(9), 'utc')).toEqual({ name: 'Selected range', from: at(3), to: at(4) + 1 });
  });

  it('else takes the shift the moment shown falls in, up to that moment', () => {
    expect(summaryRange(null, at(9, 30), 'utc')).toEqual({ name: 'Early shift', from: at(6), to: at(9, 30) });
    expect(summaryRange(null, at(15), 'utc')).toEqual({ name: 'Late shift', from: at(14), to: at(15) });
  });

  it('finds the night shift across midnight from either side', () => {
    expect(shiftAt(at(23), 'utc')).toEqual({ name: 'Night', from: at(22), to: at(30) });
    expect(shiftAt(at(2), 'utc')).toEqual({ name: 'Night', from: at(-2), to: at(6) });
    expect(shiftAt(at(6), 'utc')).toEqual({ name: 'Early', from: at(6), to: at(14) });
  });
});
