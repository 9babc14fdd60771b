import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HostClient } from '../../common/host-client.ts';
import { serveView } from '../../common/view-session.ts';
import { endpointPair } from '../endpoint-pair.ts';
import { openRecording } from '../open-recording.ts';
import { journalStart, writeJournalRecording } from '../testing/alarm-journal-recording.ts';

const cli = fileURLToPath(new URL('../../../bin/twinline.js', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-journal-view-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const t0 = journalStart;
/** The journal recording, written into this test's folder. */
const journalRecording = () => writeJournalRecording(folder);

/** The journal `twinline export --alarms` writes for a range. */
function cliJournal(file: string, from: number, to: number): string {
  const result = spawnSync(process.execPath, [cli, 'export', file, '--alarms', '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString()], { encoding: 'utf8', timeout: 30_000 });
  expect(result.stderr).toBe('');
  return result.stdout;
}

describe('the alarm journal through the contract', () => {
  it('streams, from the view replay worker, the same rows as twinline export --alarms for the same range, and refuses a reversed range', async () => {
    const file = journalRecording();
    const opened = await openRecording(file, () => undefined);
    const source = opened.createViewSource();
    const [hostSide, viewSide] = endpointPair();
    const end = serveView(hostSide, source, (problem) => expect.fail(problem));
    const client = new HostClient(viewSide);
    try {
      const { range } = await client.request('getPlayer', {});
      const chunks: string[] = [];
      const whole = await client.request('exportAlarmJournal', { from: range.start, to: range.end }, (chunk) => chunks.push(chunk));
      const csv = chunks.join('');
      expect(csv).toBe(cliJournal(file, range.start, range.end));
      expect(whole).toEqual({ rows: 5, bytes: Buffer.byteLength(csv) });
      // The operator who acknowledged, and a formula-looking name written as text.
      expect(csv).toContain(',acknowledge,stand-f4,roll-force,highAlarm,critical,activeAcknowledged,Ana Lima,');
      expect(csv).toContain(`"'=HYPERLINK(""x"")"`);

      const part = await client.exportAlarmJournal({ from: t0 + 2000, to: t0 + 3000 });
      expect(part.csv).toBe(cliJournal(file, t0 + 2000, t0 + 3000));
      expect(part.rows).toBe(2);

      await expect(client.request('exportAlarmJournal', { from: t0 + 3000, to: t0 })).rejects.toThrow(/to must not be before from/);
    } finally {
      client.close();
      end();
      source.dispose?.();
      opened.close();
    }
  });
});
