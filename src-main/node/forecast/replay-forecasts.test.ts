import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { Recorder } from '../recording/recorder.ts';
import { RecordingReader } from '../recording/recording-reader.ts';
import { ReplaySession } from '../replay/replay-session.ts';
import { ReplayForecasts } from './replay-forecasts.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-replay-forecasts-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Kiln line
forecast: { horizon: 30 min, window: 20 s }
machines:
  - { id: kiln, name: Kiln, area: Fire, line: L1, primitive: { shape: box }, signals: [{ id: temperature, topic: t/kiln, limits: { highWarn: 200, highAlarm: 250 } }] }
  - { id: fan, name: Fan, area: Fire, line: L1, primitive: { shape: box }, signals: [{ id: speed, topic: t/fan, limits: { highWarn: 80, highAlarm: 90 } }] }
`;
const plant = parsePlantOrThrow(plantText);
const start = Date.UTC(2026, 10, 25, 6, 0, 0);
const name = 'twinline-20261125-060000Z.twinline';
const file = join(folder, name);

// Two minutes, a sample of each every 100 ms: the kiln heats by 1 °C a second (with a little noise), the fan stays flat.
const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['kiln/temperature', 'fan/speed'], brokerIds: ['default'] }, { createdAt: start });
recorder.recordConnection(0, true, start);
for (let step = 0; step <= 1200; step++) {
  const time = start + step * 100;
  recorder.recordSample(0, Math.round((40 + step / 10 + ((step * 37) % 10) / 20) * 1000) / 1000, time);
  recorder.recordSample(1, 50 + ((step * 13) % 10) / 100, time);
  if (step % 10 === 0) recorder.commit();
}
recorder.close();

/** The forecasts at `time` as a fresh reader works them out, reading the whole window at once. */
function readAtOnce(time: number) {
  const reader = new RecordingReader(file);
  try {
    return new ReplayForecasts(plant).at(reader, time);
  } finally {
    reader.close();
  }
}

/** Runs `test` with a view's replay session of the recording's folder, closed after. */
function replaying(test: (session: ReplaySession) => void): void {
  const session = new ReplaySession({ plant, hasLive: false, recordingsDirectory: folder, plantText });
  try {
    test(session);
  } finally {
    session.close();
  }
}

describe('forecasts of a replayed moment', () => {
  it('after a jump are sent as pending, then read after the answer: the same as read at once', () => {
    replaying((session) => {
      const moment = start + 60_000;
      const entered = session.enter(moment, name);
      expect(entered.forecast).toEqual({ time: moment, forecasts: [], pending: true });
      expect(session.forecastsDue).toBe(true);
      let asked = 0;
      const read = session.readDueForecasts(() => (asked++, false));
      expect(read?.forecast).toEqual(readAtOnce(moment));
      expect(read?.forecast?.forecasts.map((forecast) => forecast.signal)).toEqual([0]);
      // Asked after each decoded block: the window spans about twenty of them.
      expect(asked).toBeGreaterThan(5);
      expect(session.forecastsDue).toBe(false);

      // A step forward follows on from what was read: its forecasts come with the answer (a bucket
      // later, the fit has moved on, so they differ from the last ones and are sent).
      const next = session.seek(moment + 500);
      expect(session.forecastsDue).toBe(false);
      expect(next.forecast).toEqual(readAtOnce(moment + 500));

      // Ten seconds on is still inside the window, but a seek that far is read after its answer, pending meanwhile.
      const further = session.seek(moment + 10_500);
      expect(further.forecast).toEqual({ time: moment + 10_500, forecasts: [], pending: true });
      expect(session.readDueForecasts(() => false)?.forecast).toEqual(readAtOnce(moment + 10_500));
    });
  });

  it('an interrupted read gives up and stays due; reading again gives what reading at once does', () => {
    replaying((session) => {
      session.enter(start + 90_000, name);
      session.readDueForecasts(() => false);
      const back = start + 45_000;
      expect(session.seek(back).forecast).toEqual({ time: back, forecasts: [], pending: true });
      let asked = 0;
      expect(session.readDueForecasts(() => ++asked >= 3)).toBeUndefined();
      expect(asked).toBe(3);
      expect(session.forecastsDue).toBe(true);
      // Playing on while they are due sends no second pending snapshot, and keeps them due for where the cursor is.
      session.play(0);
      const tick = session.tick(200);
      expect(tick?.forecast ?? null).toBeNull();
      const at = session.status().time;
      expect(at).toBe(back + 200);
      expect(session.readDueForecasts(() => false)?.forecast).toEqual(readAtOnce(at));
    });
  });

  it('leaving forgets forecasts that were due', () => {
    replaying((session) => {
      session.enter(start + 30_000, name);
      session.leave();
      expect(session.forecastsDue).toBe(false);
      expect(session.readDueForecasts(() => false)).toBeUndefined();
    });
  });
});
