import { describe, expect, it } from 'vitest';
import type { AlarmRecord } from '../../../src-main/common/alarms/alarm-record.ts';
import { filterAlarms, tabOfState } from './filter-alarms.ts';

function alarm(id: number, state: AlarmRecord['state'], priority: AlarmRecord['priority'], machine: number): AlarmRecord {
  return { alarm: id, signal: id >> 2, machine, limit: 'highAlarm', priority, state, active: true, message: '', raisedAt: 1, value: 1, changedAt: 1, acknowledged: null, shelved: null, outOfService: null };
}

const areas = ['Melt shop', 'Rolling', 'Melt shop'];
const areaOf = (machine: number) => areas[machine];
const alarms = [
  alarm(1, 'activeUnacknowledged', 'high', 0),
  alarm(2, 'activeAcknowledged', 'low', 1),
  alarm(3, 'returnedUnacknowledged', 'high', 2),
  alarm(4, 'shelved', 'high', 0),
  alarm(5, 'outOfService', 'medium', 1),
  alarm(6, 'normal', 'high', 0),
];
const ids = (list: AlarmRecord[]) => list.map((entry) => entry.alarm);

describe('filterAlarms', () => {
  it('keeps shelved and out-of-service alarms in their own view and lists no normal one', () => {
    expect(ids(filterAlarms(alarms, { tab: 'active', state: null, priority: null, area: null }, areaOf))).toEqual([1, 2, 3]);
    expect(ids(filterAlarms(alarms, { tab: 'silenced', state: null, priority: null, area: null }, areaOf))).toEqual([4, 5]);
    expect(tabOfState('normal')).toBeNull();
  });

  it('filters by state, priority and area together', () => {
    expect(ids(filterAlarms(alarms, { tab: 'active', state: 'activeAcknowledged', priority: null, area: null }, areaOf))).toEqual([2]);
    expect(ids(filterAlarms(alarms, { tab: 'active', state: null, priority: 'high', area: null }, areaOf))).toEqual([1, 3]);
    expect(ids(filterAlarms(alarms, { tab: 'active', state: null, priority: 'high', area: 'Melt shop' }, areaOf))).toEqual([1, 3]);
    expect(ids(filterAlarms(alarms, { tab: 'active', state: null, priority: null, area: 'Rolling' }, areaOf))).toEqual([2]);
    expect(ids(filterAlarms(alarms, { tab: 'silenced', state: 'outOfService', priority: null, area: 'Rolling' }, areaOf))).toEqual([5]);
    expect(ids(filterAlarms(alarms, { tab: 'silenced', state: 'shelved', priority: 'low', area: null }, areaOf))).toEqual([]);
  });
});
