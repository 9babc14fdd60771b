import { afterEach, describe, expect, it } from 'vitest';
import type { AlarmSnapshot } from '../common/alarms/alarm-record.ts';
import { seededRandom } from '../common/seeded-random.ts';
import { startRecordingHostRig, type RecordingHostRig } from './testing/recording-host-rig.ts';
import { until } from './testing/until.ts';

const machineCount = 6;
const plantDefinition = {
  name: 'Alarm replay plant',
  brokers: [{ id: 'line' }],
  machines: Array.from({ length: machineCount }, (_, index) => ({
    id: `m${index}`,
    signals: [{ id: 'temperature', topic: `t/m${index}/temperature`, unit: '°C', limits: { highWarn: 80, highAlarm: 90, priority: { highAlarm: 'critical' } } }],
  })),
};
/** Alarm ids of machine `index`'s temperature: four per signal, its high warning third and high alarm fourth. */
const highWarn = (index: number) => index * 4 + 2;
const highAlarm = (index: number) => index * 4 + 3;

type AlarmEvent = { type: 'event'; stream: 'alarms'; data: AlarmSnapshot };
const isAlarmEvent = (message: unknown): message is AlarmEvent => (message as { stream?: string }).stream === 'alarms';
/** What a comparison looks at: the flood indicator and every record (the snapshot's own time is the moment shown, live or replayed). */
const shown = (snapshot: AlarmSnapshot | undefined) => JSON.stringify(snapshot ? [snapshot.flood, snapshot.alarms] : [{ active: false, since: null }, []]);

let rig: RecordingHostRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('alarms replay exactly as live showed them', () => {
  it('a replaying view holds at random moments the alarms a live view held then, acknowledgements, shelves and out of service included', { timeout: 90_000 }, async () => {
    // Files roll over about every second, so most moments are read from files that start with the alarms carried into them.
    rig = await startRecordingHostRig({ name: 'alarm-replay', plant: plantDefinition, maxFileMs: 1000 });
    const { problems, publisher } = rig;
    const live = rig.connectView();
    await live.ask(1, 'subscribe', { streams: ['alarms'] });
    const values = new Array<number>(machineCount).fill(50);
    const publishAll = () => Promise.all(values.map((value, index) => publisher.publishAsync(`t/m${index}/temperature`, String(value))));
    // Samples keep coming, so the recording's range runs on past the last alarm change.
    const heartbeat = setInterval(() => void publishAll().catch((error: unknown) => problems.push(`publishing: ${String(error)}`)), 200);
    let requestId = 10;
    const liveAlarms = () => live.messages.filter(isAlarmEvent).map((event) => event.data);
    const latest = () => liveAlarms().at(-1);
    const stateOf = (alarm: number) => latest()?.alarms.find((record) => record.alarm === alarm)?.state;
    const act = async (params: unknown) => {
      const reply = await live.ask(requestId++, 'alarmAction', params);
      expect(reply.ok, JSON.stringify(reply)).toBe(true);
      return reply.result as { applied: number[]; refused: unknown[] };
    };
    const setValue = async (index: number, value: number) => {
      values[index] = value;
      await publishAll();
    };
    try {
      await setValue(0, 95);
      await until(() => stateOf(highAlarm(0)) === 'activeUnacknowledged', 'm0 in alarm', latest);
      expect((await act({ action: 'acknowledge', alarms: [highAlarm(0)], operator: 'Ana' })).applied).toEqual([highAlarm(0)]);
      await setValue(1, 85);
      await until(() => stateOf(highWarn(1)) === 'activeUnacknowledged', 'm1 warning', latest);
      await act({ action: 'shelve', alarms: [highWarn(1)], operator: 'Ben', reason: 'sensor calibration', durationMs: 1500 });
      await setValue(0, 50);
      await until(() => stateOf(highWarn(0)) === 'returnedUnacknowledged', 'm0 back to normal', latest);
      await setValue(2, 95);
      await until(() => stateOf(highAlarm(2)) === 'activeUnacknowledged', 'm2 in alarm', latest);
      await act({ action: 'suppress', alarms: [highAlarm(2)], operator: 'Ana', reason: 'maintenance' });
      // The shelf runs out by itself while m1 is still warm: annunciated again.
      await until(() => stateOf(highWarn(1)) === 'activeUnacknowledged' && latest()!.alarms.find((record) => record.alarm === highWarn(1))!.shelved === null, 'the shelf to expire', latest);
      await act({ action: 'returnToService', alarms: [highAlarm(2)], operator: 'Ana' });
      for (const index of [3, 4, 5]) await setValue(index, 95);
      await until(() => latest()?.flood.active, 'the flood indicator', latest);
      const visible = latest()!.alarms.filter((record) => record.state === 'activeUnacknowledged' || record.state === 'returnedUnacknowledged').map((record) => record.alarm);
      await act({ action: 'acknowledge', alarms: visible, operator: 'Ben' });
      const lastChange = latest()!.time;
      // Until everything live showed is committed to the recording, a second after it at the latest.
      await until(async () => {
        const player = (await live.ask(requestId++, 'getPlayer')).result as { range: { end: number } };
        return player.range.end >= lastChange + 3500;
      }, 'the recording to run on past the last alarm change, over files of its own', undefined, 20_000);
    } finally {
      clearInterval(heartbeat);
    }
    expect(problems).toEqual([]);
    const events = liveAlarms();
    // The live run showed what the test is about: acknowledgements, a shelf, out of service, a flood.
    expect(events.some((event) => event.alarms.some((record) => record.acknowledged?.operator === 'Ana'))).toBe(true);
    expect(events.some((event) => event.alarms.some((record) => record.shelved?.reason === 'sensor calibration'))).toBe(true);
    expect(events.some((event) => event.alarms.some((record) => record.state === 'outOfService'))).toBe(true);
    await rig.stopHost();
    expect(rig.recordingFiles().length).toBeGreaterThanOrEqual(4);

    // Replay as `twinline open` does: a player over the recording alone, served to a view over the contract.
    const replay = rig.connectView(rig.replayNewest());
    await replay.ask(1, 'subscribe', { streams: ['alarms'] });
    const { range } = (await replay.ask(2, 'getPlayer')).result as { range: { start: number; end: number } };
    const expectedAt = (time: number) => shown(events.filter((event) => event.time <= time).at(-1));
    const random = seededRandom(11);
    // Random moments, and each live change's millisecond with the one before it.
    const moments = Array.from({ length: 60 }, () => Math.round(range.start + random() * (range.end - range.start)));
    for (const event of events) moments.push(event.time - 1, event.time);
    // After the last change, in the files that only carry the alarms on.
    const lastChange = events.at(-1)!.time;
    for (let after = 500; after <= 3500; after += 500) moments.push(lastChange + after);
    moments.push(range.end);
    let id = 3;
    let compared = 0;
    for (const time of moments.filter((moment) => moment >= range.start && moment <= range.end)) {
      const reply = await replay.ask(id++, 'player', { action: 'seek', time });
      expect(reply.ok).toBe(true);
      const received = replay.messages.filter(isAlarmEvent).at(-1)?.data;
      expect(shown(received), `alarms at ${time - range.start} ms into the recording`).toBe(expectedAt(time));
      compared++;
    }
    expect(compared).toBeGreaterThan(60);
    // getAlarms answers the same at the moment shown.
    const asked = (await replay.ask(id++, 'getAlarms')).result as AlarmSnapshot;
    expect(shown(asked)).toBe(expectedAt(moments.filter((moment) => moment >= range.start && moment <= range.end).at(-1)!));
    // A replaying view cannot act on alarms: what it shows is the past.
    const refused = await replay.ask(id++, 'alarmAction', { action: 'acknowledge', alarms: [highAlarm(0)], operator: 'Ana' });
    expect(refused.ok).toBe(false);
    expect(problems).toEqual([]);
  });
});
