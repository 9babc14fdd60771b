import { afterEach, describe, expect, it } from 'vitest';
import type { ForecastSnapshot } from '../../common/forecast/forecast-record.ts';
import { startRecordingHostRig, type RecordingHostRig } from '../testing/recording-host-rig.ts';
import { until } from '../testing/until.ts';

// An 8 s window (64 buckets of 125 ms) so that a ramp shows a forecast within seconds.
const plantDefinition = {
  name: 'Forecast plant',
  settings: { forecast: { horizon: '30 min', window: '8 s' } },
  brokers: [{ id: 'line' }],
  machines: [
    { id: 'kiln', signals: [{ id: 'temperature', topic: 't/kiln/temperature', limits: { highWarn: 80, highAlarm: 90 } }] },
    { id: 'fan', signals: [{ id: 'speed', topic: 't/fan/speed', limits: { highWarn: 80, highAlarm: 90 } }] },
  ],
};

type ForecastEvent = { type: 'event'; stream: 'forecast'; data: ForecastSnapshot };
const isForecastEvent = (message: unknown): message is ForecastEvent => (message as { stream?: string }).stream === 'forecast';

let rig: RecordingHostRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('forecasts through a real host', () => {
  it('a ramp through a broker is forecast to reach its warning limit when it does, and replay shows the same forecast at the same moments', { timeout: 60_000 }, async () => {
    rig = await startRecordingHostRig({ name: 'forecast', plant: plantDefinition });
    const { problems, publisher } = rig;
    const live = rig.connectView();
    await live.ask(1, 'subscribe', { streams: ['forecast'] });
    // The kiln heats by 1.5 °C a second from 50 °C: its warning (80 °C) comes 20 s after the start. The fan stays flat.
    const startedAt = Date.now();
    const warningAt = startedAt + 20_000;
    let noise = 0;
    const publish = () => {
      noise = (noise + 0.37) % 1;
      const kiln = 50 + ((Date.now() - startedAt) / 1000) * 1.5 + (noise - 0.5);
      void Promise.all([publisher.publishAsync('t/kiln/temperature', kiln.toFixed(3)), publisher.publishAsync('t/fan/speed', (50 + noise).toFixed(3))]).catch((error: unknown) => problems.push(`publishing: ${String(error)}`));
    };
    const ramp = setInterval(publish, 50);
    const liveForecasts = () => live.messages.filter(isForecastEvent).map((event) => event.data);
    try {
      await until(() => liveForecasts().filter((snapshot) => snapshot.forecasts.length > 0).length >= 4, 'four forecasts of the ramp', () => liveForecasts().at(-1), 20_000);
    } finally {
      clearInterval(ramp);
    }
    const forecasting = liveForecasts().filter((snapshot) => snapshot.forecasts.length > 0);
    for (const snapshot of forecasting) {
      // Only the kiln: the flat fan predicts nothing.
      expect(snapshot.forecasts.map((forecast) => forecast.signal)).toEqual([0]);
      const [forecast] = snapshot.forecasts;
      expect(forecast).toMatchObject({ machine: 0, side: 'high', limit: 'warning', limitValue: 80, predicted: true });
      const trueLead = warningAt - snapshot.time;
      expect(Math.abs(forecast!.at - snapshot.time - trueLead) / trueLead, `at ${snapshot.time - startedAt} ms`).toBeLessThan(0.1);
    }
    const lastMoment = liveForecasts().at(-1)!.time;
    await until(async () => {
      const player = (await live.ask(2, 'getPlayer')).result as { range: { end: number } };
      return player.range.end >= lastMoment;
    }, 'the recording to hold the last forecast moment', undefined, 10_000).catch(() => undefined);
    await rig.stopHost();

    // Replay as `twinline open` does, and seek to every moment live evaluated.
    const replay = rig.connectView(rig.replayNewest());
    await replay.ask(1, 'subscribe', { streams: ['forecast'] });
    const { range } = (await replay.ask(2, 'getPlayer')).result as { range: { start: number; end: number } };
    let id = 3;
    let compared = 0;
    for (const snapshot of liveForecasts().filter((candidate) => candidate.time >= range.start && candidate.time <= range.end)) {
      const before = replay.messages.length;
      const reply = await replay.ask(id++, 'player', { action: 'seek', time: snapshot.time });
      expect(reply.ok).toBe(true);
      // The seek is answered first; its forecasts follow once read, marked pending until then (and are not sent again when unchanged).
      const sent = () => replay.messages.slice(before).filter(isForecastEvent).map((event) => event.data);
      const latest = () => replay.messages.filter(isForecastEvent).at(-1)?.data;
      await until(() => latest()?.pending !== true, `the forecasts read at ${snapshot.time - startedAt} ms`, () => sent(), 10_000);
      expect(JSON.stringify(latest()?.forecasts ?? []), `forecasts ${snapshot.time - startedAt} ms after the start`).toBe(JSON.stringify(snapshot.forecasts));
      // Nothing of the moment before was shown as this one's: what came was pending, or read at this moment.
      expect(sent().every((candidate) => candidate.time === snapshot.time)).toBe(true);
      if (snapshot.forecasts.length > 0) compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(3);
    // Opening the recording jumped to its end: those forecasts were read after the answer, pending until then.
    expect(replay.messages.filter(isForecastEvent).some((event) => event.data.pending === true)).toBe(true);
    expect(problems).toEqual([]);
  });
});
