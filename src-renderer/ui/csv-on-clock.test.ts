// Chicago, as in the reported case: six hours behind UTC in November.
process.env.TZ = 'America/Chicago';

import { describe, expect, it } from 'vitest';
import { parseZonedTime } from '../../src-main/common/parse-zoned-time.ts';
import { csvOnClock } from './csv-on-clock.ts';

const exported = 'time,signal,value,unit\r\n2026-11-25T10:22:23.870Z,stand-f4/roll-force,12.5,kN\r\n2026-11-25T10:22:24.000Z,"\'=cmd,x",bad quality,\r\n';

describe('csvOnClock', () => {
  it('writes local times with their offset, naming the same instants, and leaves everything else as it was', () => {
    const local = csvOnClock(exported, 'local');
    expect(local).toBe('time,signal,value,unit\r\n2026-11-25T04:22:23.870-06:00,stand-f4/roll-force,12.5,kN\r\n2026-11-25T04:22:24.000-06:00,"\'=cmd,x",bad quality,\r\n');
    const times = local.split('\r\n').slice(1, 3).map((line) => parseZonedTime(line.slice(0, line.indexOf(','))));
    expect(times).toEqual([Date.UTC(2026, 10, 25, 10, 22, 23, 870), Date.UTC(2026, 10, 25, 10, 22, 24, 0)]);
  });

  it('keeps UTC exports as the host wrote them', () => {
    expect(csvOnClock(exported, 'utc')).toBe(exported);
  });
});
