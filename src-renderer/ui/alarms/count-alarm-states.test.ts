import { describe, expect, it } from 'vitest';
import type { AlarmRecord } from '../../../src-main/common/alarms/alarm-record.ts';
import { alarmCountWords, countAlarmStates } from './count-alarm-states.ts';

function alarm(state: AlarmRecord['state']): AlarmRecord {
  return { alarm: 0, signal: 0, machine: 0, limit: 'highAlarm', priority: 'high', state, active: true, message: '', raisedAt: 1, value: 1, changedAt: 1, acknowledged: null, shelved: null, outOfService: null };
}

describe('countAlarmStates and alarmCountWords', () => {
  it('counts returned-unacknowledged alarms as unacknowledged and normal ones nowhere', () => {
    const counts = countAlarmStates(['activeUnacknowledged', 'returnedUnacknowledged', 'activeUnacknowledged', 'activeAcknowledged', 'shelved', 'normal'].map((state) => alarm(state as AlarmRecord['state'])));
    expect(counts).toEqual({ unacknowledged: 3, acknowledged: 1, shelved: 1, outOfService: 0 });
    expect(alarmCountWords(counts)).toBe('3 unack · 1 ack · 1 shelved');
  });

  it('says "No alarms" when every count is zero and names out of service in words', () => {
    expect(alarmCountWords(countAlarmStates([alarm('normal')]))).toBe('No alarms');
    expect(alarmCountWords(countAlarmStates([alarm('outOfService')]))).toBe('1 out of service');
  });
});
