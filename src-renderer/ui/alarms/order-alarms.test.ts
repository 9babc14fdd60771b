import { describe, expect, it } from 'vitest';
import type { AlarmRecord } from '../../../src-main/common/alarms/alarm-record.ts';
import { orderAlarms } from './order-alarms.ts';

/** An alarm record with only what ordering reads set apart. */
function alarm(id: number, state: AlarmRecord['state'], priority: AlarmRecord['priority'], raisedAt: number, machine = 0): AlarmRecord {
  return { alarm: id, signal: id >> 2, machine, limit: 'highAlarm', priority, state, active: true, message: `alarm ${id}`, raisedAt, value: 1, changedAt: raisedAt, acknowledged: null, shelved: null, outOfService: null };
}

const names = ['Press', 'Anvil', 'Crane'];
const machineName = (machine: number) => names[machine]!;

describe('orderAlarms', () => {
  it('puts unacknowledged alarms first, then the most urgent, then the newest', () => {
    const alarms = [
      alarm(1, 'activeAcknowledged', 'critical', 500),
      alarm(2, 'activeUnacknowledged', 'low', 100),
      alarm(3, 'returnedUnacknowledged', 'high', 200),
      alarm(4, 'activeUnacknowledged', 'high', 300),
      alarm(5, 'activeUnacknowledged', 'critical', 50),
    ];
    expect(orderAlarms(alarms, { by: 'standard' }, machineName).map((entry) => entry.alarm)).toEqual([5, 4, 3, 2, 1]);
  });

  it('sorts by one column either way, ties in the standard order', () => {
    const alarms = [alarm(1, 'activeAcknowledged', 'low', 300, 0), alarm(2, 'activeUnacknowledged', 'high', 100, 1), alarm(3, 'activeUnacknowledged', 'low', 200, 1), alarm(4, 'activeUnacknowledged', 'low', 200, 2)];
    expect(orderAlarms(alarms, { by: 'time', descending: false }, machineName).map((entry) => entry.alarm)).toEqual([2, 3, 4, 1]);
    expect(orderAlarms(alarms, { by: 'time', descending: true }, machineName).map((entry) => entry.alarm)).toEqual([1, 3, 4, 2]);
    expect(orderAlarms(alarms, { by: 'priority', descending: true }, machineName).map((entry) => entry.alarm)).toEqual([2, 3, 4, 1]);
    expect(orderAlarms(alarms, { by: 'machine', descending: false }, machineName).map((entry) => entry.alarm)).toEqual([2, 3, 4, 1]);
    expect(orderAlarms(alarms, { by: 'machine', descending: true }, machineName).map((entry) => entry.alarm)).toEqual([1, 4, 2, 3]);
  });

  it('leaves the given array as it was', () => {
    const alarms = [alarm(1, 'activeAcknowledged', 'low', 1), alarm(2, 'activeUnacknowledged', 'low', 2)];
    orderAlarms(alarms, { by: 'standard' }, machineName);
    expect(alarms.map((entry) => entry.alarm)).toEqual([1, 2]);
  });
});
