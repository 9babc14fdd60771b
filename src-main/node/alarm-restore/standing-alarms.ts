import { basename } from 'node:path';
import type { StandingAlarm } from '../../common/alarms/match-restored-alarms.ts';
import { alarmLimits } from '../../common/alarms/alarm-record.ts';
import { signalOrder } from '../../common/signal-order.ts';
import { openRecordingDatabase } from '../recording/open-recording-database.ts';
import { RecordingReader } from '../recording/recording-reader.ts';

/** Most alarms taken from a recording: a plant's alarms fit many times over; a forged file gets no further. */
export const maxStandingAlarms = 100_000;

/** What the last recording of a plant left standing, or why nothing is restored. */
export type StandingAlarmsResult = { file: string; standing: StandingAlarm[] } | { file?: string; nothing: string };

/**
 * The alarms the newest recording of the plant named `plantName` among `files` (newest first) held at
 * its last moment up to `now`. Files of other plants and incident packages are passed over; the newest
 * of this plant is the only one read: if it is damaged, older files would bring back states that were
 * no longer true, so nothing is restored and the reason is returned. Every row is checked by the
 * recording's alarm reader (schema, bounds, an alarm of its plant) before it is taken.
 */
export function standingAlarms(files: readonly string[], plantName: string, now: number): StandingAlarmsResult {
  for (const file of files) {
    let reader: RecordingReader;
    try {
      if (isPackage(file)) continue;
      reader = new RecordingReader(file, { verify: false });
    } catch (error) {
      // A file that cannot be read may be this plant's last one: guessing past it could restore stale states.
      return { file, nothing: `${basename(file)} cannot be read: ${error instanceof Error ? error.message : String(error)}` };
    }
    try {
      if (reader.plant.name !== plantName) continue;
      const order = signalOrder(reader.plant);
      const recorded = reader.alarmsAt(now).alarms.slice(0, maxStandingAlarms);
      const standing = recorded.map((record) => ({ key: order.keys[record.signal]!, limit: record.limit, threshold: order.signals[record.signal]!.limits?.[record.limit], record }));
      // The reader checked each record's ids against its plant; the limit is checked again here, as the match needs it.
      return { file, standing: standing.filter((alarm) => alarm.key !== undefined && alarmLimits.includes(alarm.limit)) };
    } catch (error) {
      return { file, nothing: `the alarms of ${basename(file)} cannot be read: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      reader.close();
    }
  }
  return { nothing: 'no earlier recording of this plant in the folder' };
}

/** Whether a file is an incident package: a range cut from a session, whose alarms are not the plant's latest. */
function isPackage(file: string): boolean {
  const database = openRecordingDatabase(file, { verify: false });
  try {
    return database.prepare("SELECT 1 FROM meta WHERE key = 'packageRange'").get() !== undefined;
  } finally {
    database.close();
  }
}
