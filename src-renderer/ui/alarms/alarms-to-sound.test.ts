import { describe, expect, it } from 'vitest';
import type { AlarmRecord } from '../../../src-main/common/alarms/alarm-record.ts';
import { bringsLoudAlarm, loudOccurrences } from './alarms-to-sound.ts';

function alarm(id: number, state: AlarmRecord['state'], priority: AlarmRecord['priority'], raisedAt: number): AlarmRecord {
  return { alarm: id, signal: 0, machine: 0, limit: 'highAlarm', priority, state, active: true, message: '', raisedAt, value: 1, changedAt: raisedAt, acknowledged: null, shelved: null, outOfService: null };
}

describe('bringsLoudAlarm', () => {
  it('sounds for a new high or critical alarm only', () => {
    expect(bringsLoudAlarm(new Set(), [alarm(1, 'activeUnacknowledged', 'high', 10)])).toBe(true);
    expect(bringsLoudAlarm(new Set(), [alarm(1, 'activeUnacknowledged', 'critical', 10)])).toBe(true);
    expect(bringsLoudAlarm(new Set(), [alarm(1, 'activeUnacknowledged', 'medium', 10), alarm(2, 'activeUnacknowledged', 'low', 10)])).toBe(false);
    // Raised while shelved or out of service, or already back to normal: nothing is annunciated, so nothing sounds.
    expect(bringsLoudAlarm(new Set(), [alarm(1, 'shelved', 'high', 10), alarm(2, 'outOfService', 'critical', 10), alarm(3, 'returnedUnacknowledged', 'high', 10)])).toBe(false);
  });

  it('does not sound again for the same occurrence, its acknowledgement or its shelf, but does for a new raise', () => {
    const heard = loudOccurrences([alarm(1, 'activeUnacknowledged', 'high', 10)]);
    expect(bringsLoudAlarm(heard, [alarm(1, 'activeUnacknowledged', 'high', 10)])).toBe(false);
    expect(bringsLoudAlarm(heard, [alarm(1, 'activeAcknowledged', 'high', 10)])).toBe(false);
    expect(bringsLoudAlarm(heard, [alarm(1, 'shelved', 'high', 10)])).toBe(false);
    expect(bringsLoudAlarm(heard, [alarm(1, 'activeUnacknowledged', 'high', 20)])).toBe(true);
  });
});
