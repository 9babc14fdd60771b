import { describe, expect, it } from 'vitest';
import { viewMessageSchema } from '../contract.ts';
import { maxAlarmsPerAction } from './alarm-contract.ts';

/** Whether a view's alarm action passes the contract's validation, as the host checks every message. */
function accepted(params: unknown): boolean {
  return viewMessageSchema.safeParse({ type: 'request', id: 1, method: 'alarmAction', params }).success;
}

describe('alarm actions in the contract', () => {
  it('accepts each action with the operator who takes it', () => {
    expect(accepted({ action: 'acknowledge', alarms: [3, 7], operator: 'Ana' })).toBe(true);
    expect(accepted({ action: 'shelve', alarms: [3], operator: 'Ana', reason: 'sensor calibration', durationMs: 15 * 60_000 })).toBe(true);
    expect(accepted({ action: 'unshelve', alarms: [3], operator: 'Ana' })).toBe(true);
    expect(accepted({ action: 'suppress', alarms: [3], operator: 'Ana', reason: 'maintenance' })).toBe(true);
    expect(accepted({ action: 'returnToService', alarms: [3], operator: 'Ana' })).toBe(true);
  });

  it('refuses an action without an operator, or with a blank one, or one with control characters', () => {
    expect(accepted({ action: 'acknowledge', alarms: [3] })).toBe(false);
    expect(accepted({ action: 'acknowledge', alarms: [3], operator: '   ' })).toBe(false);
    expect(accepted({ action: 'acknowledge', alarms: [3], operator: 'Ana\nroot' })).toBe(false);
    expect(accepted({ action: 'acknowledge', alarms: [3], operator: 'x'.repeat(65) })).toBe(false);
    // A name or reason that reads as something else than it holds: a direction override, a line separator.
    expect(accepted({ action: 'acknowledge', alarms: [3], operator: 'Ana \u202eevil' })).toBe(false);
    expect(accepted({ action: 'acknowledge', alarms: [3], operator: 'Ana\u2028root' })).toBe(false);
    expect(accepted({ action: 'suppress', alarms: [3], operator: 'Ana', reason: 'sensor \u2066ok\u2069' })).toBe(false);
    expect(accepted({ action: 'acknowledge', alarms: [3], operator: 'Ana Müller' })).toBe(true);
  });

  it('refuses a shelf without a reason, shorter than a second or longer than a day, and unknown fields', () => {
    expect(accepted({ action: 'shelve', alarms: [3], operator: 'Ana', durationMs: 60_000 })).toBe(false);
    expect(accepted({ action: 'shelve', alarms: [3], operator: 'Ana', reason: 'r', durationMs: 999 })).toBe(false);
    expect(accepted({ action: 'shelve', alarms: [3], operator: 'Ana', reason: 'r', durationMs: 24 * 3_600_000 + 1 })).toBe(false);
    expect(accepted({ action: 'acknowledge', alarms: [3], operator: 'Ana', until: 5 })).toBe(false);
    expect(accepted({ action: 'silence', alarms: [3], operator: 'Ana' })).toBe(false);
  });

  it('bounds the alarms an action names', () => {
    expect(accepted({ action: 'acknowledge', alarms: [], operator: 'Ana' })).toBe(false);
    expect(accepted({ action: 'acknowledge', alarms: [-1], operator: 'Ana' })).toBe(false);
    expect(accepted({ action: 'acknowledge', alarms: [1.5], operator: 'Ana' })).toBe(false);
    expect(accepted({ action: 'acknowledge', alarms: Array.from({ length: maxAlarmsPerAction }, (_, index) => index), operator: 'Ana' })).toBe(true);
    expect(accepted({ action: 'acknowledge', alarms: Array.from({ length: maxAlarmsPerAction + 1 }, (_, index) => index), operator: 'Ana' })).toBe(false);
  });
});
