import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { alarmJournalHeader } from './export-alarm-journal.ts';
import { writeJournalRecording } from '../testing/alarm-journal-recording.ts';

const cli = fileURLToPath(new URL('../../../bin/twinline.js', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-alarm-journal-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The journal recording, written into this test's folder. */
const journalRecording = () => writeJournalRecording(folder);

describe('twinline export --alarms', () => {
  it('writes the alarm journal as CSV: raise, acknowledgement, shelf and return to normal, with machine, signal, priority, who and when', () => {
    const file = journalRecording();
    const result = spawnSync(process.execPath, [cli, 'export', file, '--alarms'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      alarmJournalHeader,
      '2026-11-25T06:00:01.000Z,raise,stand-f4,roll-force,highAlarm,critical,activeUnacknowledged,,,Finishing stand F4 — roll-force high alarm (≥ 30 MN): 31.5 MN',
      '2026-11-25T06:00:02.000Z,acknowledge,stand-f4,roll-force,highAlarm,critical,activeAcknowledged,Ana Lima,,Finishing stand F4 — roll-force high alarm (≥ 30 MN): 31.5 MN',
      // A name a spreadsheet would run as a formula is written as text.
      `2026-11-25T06:00:03.000Z,shelve,stand-f4,roll-force,highAlarm,critical,shelved,"'=HYPERLINK(""x"")","roll change, see log 12",Finishing stand F4 — roll-force high alarm (≥ 30 MN): 31.5 MN`,
      '2026-11-25T06:00:04.000Z,return to normal,stand-f4,roll-force,highAlarm,critical,shelved,,,Finishing stand F4 — roll-force high alarm (≥ 30 MN): 31.5 MN',
      '2026-11-25T06:01:03.000Z,shelf expired,stand-f4,roll-force,highAlarm,critical,normal,,,Finishing stand F4 — roll-force high alarm (≥ 30 MN): 31.5 MN',
      '',
    ]);
    const ranged = spawnSync(process.execPath, [cli, 'export', file, '--alarms', '--from', '2026-11-25T06:00:02Z', '--to', '2026-11-25T06:00:03Z'], { encoding: 'utf8', timeout: 30_000 });
    expect(ranged.stdout.split('\n').slice(1, -1).map((line) => line.split(',')[1])).toEqual(['acknowledge', 'shelve']);
    const withSignal = spawnSync(process.execPath, [cli, 'export', file, '--alarms', '--signal', 'stand-f4'], { encoding: 'utf8', timeout: 30_000 });
    expect(withSignal.status).toBe(1);
    expect(withSignal.stderr).toContain('--alarms writes every alarm of the range; it takes no --signal');
  });
});
