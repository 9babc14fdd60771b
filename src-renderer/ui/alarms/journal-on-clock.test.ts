// Chicago: six hours behind UTC in November.
process.env.TZ = 'America/Chicago';

import { describe, expect, it } from 'vitest';
import { journalOnClock } from './journal-on-clock.ts';

const journal =
  'time,event,machine,signal,limit,priority,state,operator,reason,message\n' +
  '2026-11-25T06:00:02.000Z,acknowledge,stand-f4,roll-force,highAlarm,critical,activeAcknowledged,Ana Lima,,F4 high\n' +
  `2026-11-25T06:00:03.000Z,shelve,stand-f4,roll-force,highAlarm,critical,shelved,"'=HYPERLINK(""x"")","at 2026-11-25T06:00:03.000Z, see log",F4 high\n`;

describe('journalOnClock', () => {
  it('writes each row time on the local clock with its offset, and leaves the header and every other field as the host wrote them', () => {
    expect(journalOnClock(journal, 'local')).toBe(
      'time,event,machine,signal,limit,priority,state,operator,reason,message\n' +
        '2026-11-25T00:00:02.000-06:00,acknowledge,stand-f4,roll-force,highAlarm,critical,activeAcknowledged,Ana Lima,,F4 high\n' +
        `2026-11-25T00:00:03.000-06:00,shelve,stand-f4,roll-force,highAlarm,critical,shelved,"'=HYPERLINK(""x"")","at 2026-11-25T06:00:03.000Z, see log",F4 high\n`,
    );
  });

  it('keeps a UTC journal as the host wrote it', () => {
    expect(journalOnClock(journal, 'utc')).toBe(journal);
  });
});
