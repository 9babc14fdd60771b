import { describe, expect, it } from 'vitest';
import { limitsWith, parseField } from './limits-edit.ts';

describe('limitsWith', () => {
  it('sets one limit and keeps the others, without the defaults the parser filled in', () => {
    expect(limitsWith(undefined, 'highAlarm', 90)).toEqual({ highAlarm: 90 });
    expect(limitsWith({ highWarn: 80, deadband: 0, onDelay: 0 }, 'highAlarm', 90)).toEqual({ highWarn: 80, highAlarm: 90 });
    expect(limitsWith({ lowAlarm: 1, deadband: 2, onDelay: 3, priority: { highAlarm: 'critical' } }, 'highAlarm', 90)).toEqual({ lowAlarm: 1, highAlarm: 90, deadband: 2, onDelay: 3, priority: { highAlarm: 'critical' } });
  });

  it('removes a limit, and all limits when none is left', () => {
    expect(limitsWith({ highWarn: 80, highAlarm: 90, deadband: 0, onDelay: 0 }, 'highWarn', undefined)).toEqual({ highAlarm: 90 });
    expect(limitsWith({ highAlarm: 90, deadband: 0, onDelay: 0 }, 'highAlarm', undefined)).toBeNull();
  });
});

describe('parseField', () => {
  it('reads numbers, empty as none and anything else as not a number', () => {
    expect(parseField(' 42.5 ')).toBe(42.5);
    expect(parseField('-1e3')).toBe(-1000);
    expect(parseField('')).toBeUndefined();
    expect(parseField('12abc')).toBeNaN();
    expect(parseField('0x10')).toBeNaN();
  });
});
