import { describe, expect, it } from 'vitest';
import type { FrameBatch } from '../../common/contract.ts';
import { Health } from '../../common/health.ts';
import { boundedRestorePlan, matchRestoredAlarms, type RestorePlan, type StandingAlarm } from '../../common/alarms/match-restored-alarms.ts';
import type { AlarmRecord, AlarmSnapshot } from '../../common/alarms/alarm-record.ts';
import type { Plant } from '../../common/plant-schema.ts';
import { signalOrder } from '../../common/signal-order.ts';
import { AlarmService, maxPendingFrames } from '../alarm-service.ts';
import { restoreStandingAlarms } from './restore-standing-alarms.ts';
import type { AlarmRow } from '../recording/recorded-alarms.ts';
import { testPlant, unusedBroker, type TestMachine } from '../testing/test-plants.ts';

const limits = { highWarn: 80, highAlarm: 90 };
const machines = (ids: readonly string[], limitsOf: (id: string) => object = () => limits): TestMachine[] => ids.map((id) => ({ id, signals: [{ id: 'temperature', topic: `t/${id}`, limits: limitsOf(id) }] }));
const plantOf = (list: TestMachine[]) => testPlant({ name: 'Restore plant', brokers: [unusedBroker], machines: list });
/** The high alarm of the temperature of the `index`th machine: four alarms per signal, the high alarm fourth. */
const highAlarm = (index: number) => index * 4 + 3;
const highWarn = (index: number) => index * 4 + 2;

/** A service fed by hand under a fake clock, recording its rows. */
function harness(plant: Plant, start: number, awaitRestore = false) {
  const clock = { now: start };
  const rows: AlarmRow[] = [];
  const logs: string[] = [];
  let send: (frame: FrameBatch) => void = () => undefined;
  const service = new AlarmService({
    plant,
    frames: { subscribe: (_stream, listener) => ((send = listener), () => undefined) },
    recorder: { onAlarmRows: (added) => rows.push(...added) },
    clock: () => clock.now,
    log: (line) => logs.push(line),
    tickIntervalMs: 3_600_000,
    awaitRestore,
  });
  const sample = (signal: number, value: number, health: number) => send({ time: clock.now, full: false, signalIndex: [signal], signalValue: [value], signalSampleAge: [0], signalHealth: [health], machineIndex: [], machineHealth: [] });
  const record = (alarm: number): AlarmRecord | undefined => service.snapshot().alarms.find((candidate) => candidate.alarm === alarm);
  return { clock, rows, logs, service, sample, record };
}

/** What the worker reads from a recording: each standing alarm named by its signal's key and its limit's value. */
function standingOf(snapshot: AlarmSnapshot, plant: Plant): StandingAlarm[] {
  const order = signalOrder(plant);
  return snapshot.alarms.map((record) => ({ key: order.keys[record.signal]!, limit: record.limit, threshold: order.signals[record.signal]!.limits?.[record.limit], record }));
}

const operator = 'Ana Lima';
const minute = 60_000;

/** A first run: press raised and acknowledged, pump raised and shelved for 10 minutes, fan out of service, oven returned unacknowledged. */
function firstRun(plant: Plant) {
  const run = harness(plant, 1_000_000);
  run.sample(0, 95, Health.alarm);
  run.sample(1, 95, Health.alarm);
  run.sample(2, 85, Health.warn);
  run.sample(3, 95, Health.alarm);
  run.clock.now += 1000;
  run.sample(3, 50, Health.ok);
  run.service.act({ action: 'acknowledge', alarms: [highAlarm(0), highWarn(0)], operator });
  run.service.act({ action: 'shelve', alarms: [highAlarm(1)], operator, reason: 'sensor swap', durationMs: 10 * minute });
  run.service.act({ action: 'suppress', alarms: [highWarn(2)], operator, reason: 'calibration' });
  run.service.stop();
  return run;
}

describe('alarm states restored after a host restart', () => {
  const plant = plantOf(machines(['press', 'pump', 'fan', 'oven']));

  it('keeps acknowledgements, shelves with their reason and end, out of service and returned-unacknowledged alarms', () => {
    const before = firstRun(plant);
    const after = harness(plant, before.clock.now + 2 * minute);
    const plan = matchRestoredAlarms(standingOf(before.service.snapshot(), plant), plant);
    expect(after.service.restore(plan, after.clock.now)).toBe(before.service.snapshot().alarms.length);
    expect(after.record(highAlarm(0))).toMatchObject({ state: 'activeAcknowledged', active: true, acknowledged: { operator }, restored: true });
    expect(after.record(highAlarm(1))).toMatchObject({ state: 'shelved', active: true, shelved: { operator, reason: 'sensor swap', until: before.record(highAlarm(1))!.shelved!.until }, restored: true });
    expect(after.record(highWarn(2))).toMatchObject({ state: 'outOfService', outOfService: { operator, reason: 'calibration' } });
    expect(after.record(highAlarm(3))).toMatchObject({ state: 'returnedUnacknowledged', active: false });
    // The restored states open the new recording, marked as restored, at the moment they were put back.
    const carried = after.rows.filter((row) => row.event === 'restored');
    expect(carried.map((row) => row.alarm).sort()).toEqual(before.service.snapshot().alarms.map((record) => record.alarm).sort());
    expect(carried.every((row) => row.time === after.clock.now && JSON.parse(row.record).restored === true)).toBe(true);
    // A returned alarm is acknowledged as before the restart.
    expect(after.service.act({ action: 'acknowledge', alarms: [highAlarm(3)], operator }).applied).toEqual([highAlarm(3)]);
    expect(after.record(highAlarm(3))).toBeUndefined();
  });

  it('lets the first new sample decide: still beyond the limit keeps the acknowledgement and drops the mark; back within clears it', () => {
    const before = firstRun(plant);
    const after = harness(plant, before.clock.now + minute);
    after.service.restore(matchRestoredAlarms(standingOf(before.service.snapshot(), plant), plant), after.clock.now);
    const rowsBefore = after.rows.length;
    after.clock.now += 500;
    after.sample(0, 96, Health.alarm);
    expect(after.record(highAlarm(0))).toMatchObject({ state: 'activeAcknowledged', acknowledged: { operator } });
    expect(after.record(highAlarm(0))!.restored).toBeUndefined();
    // The confirmation is recorded: replay shows the mark gone when live did.
    const confirmed = after.rows.slice(rowsBefore).filter((row) => row.alarm === highAlarm(0));
    expect(confirmed).toHaveLength(1);
    expect(JSON.parse(confirmed[0]!.record).restored).toBeUndefined();
    // A stale signal confirms nothing: the pump's shelf stays marked.
    after.sample(1, 95, Health.stale);
    expect(after.record(highAlarm(1))!.restored).toBe(true);
    after.sample(1, 50, Health.ok);
    expect(after.record(highAlarm(1))).toMatchObject({ state: 'shelved', active: false });
    expect(after.record(highAlarm(1))!.restored).toBeUndefined();
    after.clock.now += 500;
    after.sample(0, 50, Health.ok);
    expect(after.record(highAlarm(0))).toBeUndefined();
    expect(after.rows.at(-1)).toMatchObject({ alarm: highAlarm(0), event: 'clear' });
  });

  it('ends a shelf that ran out while the host was down at once, and records its expiry', () => {
    const before = firstRun(plant);
    const after = harness(plant, before.clock.now + 11 * minute);
    after.service.restore(matchRestoredAlarms(standingOf(before.service.snapshot(), plant), plant), after.clock.now);
    // Its condition was active when recorded: it comes back annunciated, awaiting the next sample.
    expect(after.record(highAlarm(1))).toMatchObject({ state: 'activeUnacknowledged', shelved: null, restored: true });
    const expiry = after.rows.filter((row) => row.alarm === highAlarm(1));
    expect(expiry.map((row) => row.event)).toEqual(['restored', 'shelveExpiry']);
    expect(expiry.every((row) => row.time === after.clock.now)).toBe(true);
  });

  it('keeps a running shelf until its own end', () => {
    const before = firstRun(plant);
    const until = before.record(highAlarm(1))!.shelved!.until;
    const after = harness(plant, until - minute);
    after.service.restore(matchRestoredAlarms(standingOf(before.service.snapshot(), plant), plant), after.clock.now);
    expect(after.record(highAlarm(1))!.state).toBe('shelved');
    after.clock.now = until;
    after.sample(1, 95, Health.alarm);
    expect(after.record(highAlarm(1))).toMatchObject({ state: 'activeUnacknowledged', shelved: null });
    expect(after.rows.filter((row) => row.alarm === highAlarm(1)).at(-1)).toMatchObject({ event: 'shelveExpiry', time: until });
  });

  it('ends a shelf a recording says lasts a year within the 24 hours a shelf may last', () => {
    const after = harness(plant, 5_000_000);
    const day = 24 * 60 * minute;
    const forged: AlarmRecord = { alarm: highAlarm(1), signal: 1, machine: 1, limit: 'highAlarm', priority: 'high', message: 'x', raisedAt: 1, value: 95, changedAt: 1, acknowledged: null, shelved: { operator, time: 1, until: after.clock.now + 365 * day, reason: 'forever' }, outOfService: null, state: 'shelved', active: true };
    expect(after.service.restore({ restore: [{ alarm: forged.alarm, record: forged }], dropped: [] }, after.clock.now)).toBe(1);
    expect(after.record(highAlarm(1))!.shelved!.until).toBe(after.clock.now + day);
  });

  it('drops the alarms of machines and limits no longer in the plant, and finds the others under their new ids', () => {
    const before = firstRun(plant);
    // The pump is gone, a mixer comes first (every id moves), and the fan's warning limit moved.
    const changed = plantOf(machines(['mixer', 'press', 'fan', 'oven'], (id) => (id === 'fan' ? { highWarn: 82, highAlarm: 90 } : limits)));
    const plan = matchRestoredAlarms(standingOf(before.service.snapshot(), plant), changed);
    expect(plan.dropped.sort()).toEqual(['fan/temperature highWarn: the limit moved from 80 to 82', 'pump/temperature highAlarm: the signal is no longer in the plant', 'pump/temperature highWarn: the signal is no longer in the plant']);
    const after = harness(changed, before.clock.now + minute);
    after.service.restore(plan, after.clock.now);
    expect(after.record(highAlarm(1))).toMatchObject({ state: 'activeAcknowledged', machine: 1, message: expect.stringContaining('Press') });
    expect(after.record(highAlarm(3))).toMatchObject({ state: 'returnedUnacknowledged' });
    expect(after.service.snapshot().alarms.map((record) => record.alarm)).toEqual([highWarn(1), highAlarm(1), highWarn(3), highAlarm(3)]);
    expect(after.logs.filter((line) => line.includes('was not restored'))).toHaveLength(3);
  });

  it('waits out a signal\'s on-delay after the restart before its first sample decides, so a standing acknowledged alarm is not cleared and raised again', () => {
    const delayed = plantOf(machines(['press', 'pump'], () => ({ ...limits, onDelay: 2 })));
    const before = harness(delayed, 1_000_000);
    before.sample(0, 95, Health.alarm);
    before.sample(1, 95, Health.alarm);
    before.service.act({ action: 'acknowledge', alarms: [highAlarm(0), highAlarm(1)], operator });
    before.service.stop();
    const after = harness(delayed, before.clock.now + minute);
    after.service.restore(matchRestoredAlarms(standingOf(before.service.snapshot(), delayed), delayed), after.clock.now);
    const rowsBefore = after.rows.length;
    // The health rule starts over: beyond the limit reads as ok until the on-delay has passed.
    after.sample(0, 95, Health.ok);
    after.sample(1, 50, Health.ok);
    expect(after.record(highAlarm(0))).toMatchObject({ state: 'activeAcknowledged', restored: true });
    expect(after.record(highAlarm(1))).toMatchObject({ state: 'activeAcknowledged', restored: true });
    after.clock.now += 2000;
    after.sample(0, 95, Health.alarm);
    // The press is still beyond its limit: acknowledged as before; the pump's held sample is now evaluated: it has returned.
    expect(after.record(highAlarm(0))).toMatchObject({ state: 'activeAcknowledged', acknowledged: { operator } });
    expect(after.record(highAlarm(0))!.restored).toBeUndefined();
    expect(after.record(highAlarm(1))).toBeUndefined();
    expect(after.rows.slice(rowsBefore).filter((row) => row.event === 'raise')).toEqual([]);
  });

  it('evaluates the live frames that came while the last recording was read after the restored states, in order', () => {
    const before = firstRun(plant);
    const after = harness(plant, before.clock.now + minute, true);
    // Ingest runs while the recording is read: the press is still beyond its limit, the pump went back and forth.
    after.sample(0, 96, Health.alarm);
    after.clock.now += 100;
    after.sample(1, 50, Health.ok);
    after.clock.now += 100;
    after.sample(1, 97, Health.alarm);
    after.sample(3, 99, Health.alarm);
    expect(after.service.snapshot().alarms).toEqual([]);
    expect(after.rows).toEqual([]);
    after.clock.now += 100;
    after.service.restore(matchRestoredAlarms(standingOf(before.service.snapshot(), plant), plant), after.clock.now);
    expect(after.record(highAlarm(0))).toMatchObject({ state: 'activeAcknowledged', acknowledged: { operator } });
    expect(after.record(highAlarm(0))!.restored).toBeUndefined();
    expect(after.record(highAlarm(1))).toMatchObject({ state: 'shelved', active: true, shelved: { reason: 'sensor swap' } });
    // The oven's returned alarm came back before anyone acknowledged it: annunciated again.
    expect(after.record(highAlarm(3))).toMatchObject({ state: 'activeUnacknowledged', active: true });
    expect(after.rows.filter((row) => row.alarm === highAlarm(3)).map((row) => row.event)).toEqual(['restored', 'raise']);
    // Every row of the restart carries the moment the states were put back: what views were sent then.
    expect(new Set(after.rows.map((row) => row.time))).toEqual(new Set([after.clock.now]));
    // From now on frames are evaluated as they come.
    after.clock.now += 100;
    after.sample(0, 50, Health.ok);
    expect(after.record(highAlarm(0))).toBeUndefined();
  });

  it('evaluates the frames that waited when nothing is restored', () => {
    const after = harness(plant, 5_000_000, true);
    after.sample(0, 95, Health.alarm);
    expect(after.service.snapshot().alarms).toEqual([]);
    after.service.release(after.clock.now);
    expect(after.record(highAlarm(0))).toMatchObject({ state: 'activeUnacknowledged' });
  });

  it('starts every alarm normal, says why, and evaluates the frames that waited, when putting them back fails', () => {
    const after = harness(plant, 5_000_000, true);
    after.sample(0, 95, Health.alarm);
    const broken = { file: 'twinline-20231114-221300Z.twinline', plan: { restore: [null as unknown as RestorePlan['restore'][number]], dropped: [] } };
    expect(restoreStandingAlarms(after.service, broken, after.clock.now, (line) => after.logs.push(line))).toBe(0);
    expect(after.logs.join('\n')).toContain('Alarms start normal: restoring them from twinline-20231114-221300Z.twinline failed');
    expect(after.record(highAlarm(0))).toMatchObject({ state: 'activeUnacknowledged' });
  });

  it('names the first dropped alarms of a plan sent from the reading worker and counts the rest', () => {
    const after = harness(plant, 5_000_000, true);
    const dropped = Array.from({ length: 30 }, (_, index) => `line-${index}/force highAlarm: the signal is no longer in the plant`);
    const bounded = boundedRestorePlan({ restore: [], dropped }, 20);
    expect(bounded).toEqual({ restore: [], dropped: dropped.slice(0, 20), droppedUnnamed: 10 });
    expect(boundedRestorePlan(bounded, 20)).toBe(bounded);
    expect(restoreStandingAlarms(after.service, { file: 'twinline-20231114-221300Z.twinline', plan: bounded }, after.clock.now, (line) => after.logs.push(line))).toBe(0);
    const logged = after.logs.join('\n');
    expect(after.logs.filter((line) => line.includes('was not restored: line-'))).toHaveLength(20);
    expect(logged).toContain('… and 10 more alarms of the last recording were not restored');
    expect(logged).toContain('Restored 0 alarm states from twinline-20231114-221300Z.twinline; 30 dropped');
  });

  it('keeps at most the latest frames while the restore is awaited', () => {
    const after = harness(plant, 5_000_000, true);
    // The oldest frame would raise the press's alarm; the later ones only confirm the pump is fine.
    after.sample(0, 95, Health.alarm);
    for (let frame = 0; frame < maxPendingFrames; frame++) after.sample(1, 50, Health.ok);
    after.service.release(after.clock.now);
    expect(after.record(highAlarm(0))).toBeUndefined();
  });

  it('refuses a record whose state contradicts its condition or stamps, and leaves that alarm normal', () => {
    const after = harness(plant, 5_000_000);
    const base = { signal: 0, machine: 0, limit: 'highAlarm', priority: 'high', message: 'x', raisedAt: 1, value: 95, changedAt: 1, acknowledged: null, shelved: null, outOfService: null } as const;
    const forged: AlarmRecord[] = [
      { ...base, alarm: highAlarm(0), state: 'activeAcknowledged', active: false },
      { ...base, alarm: highAlarm(1), signal: 1, machine: 1, state: 'shelved', active: true },
    ];
    const restored = after.service.restore({ restore: forged.map((record) => ({ alarm: record.alarm, record })), dropped: [] }, after.clock.now);
    expect(restored).toBe(0);
    expect(after.service.snapshot().alarms).toEqual([]);
    expect(after.logs.join('\n')).toMatch(/cannot be inactive[\s\S]*without its shelf/);
  });

  it('names a refused record in the log by this plant\'s alarm, never by text the recording brings', () => {
    const after = harness(plant, 5_000_000);
    // A forged message could write lines of its own into the host's log.
    const forged: AlarmRecord = { alarm: highAlarm(0), signal: 0, machine: 0, limit: 'highAlarm', priority: 'high', message: 'Press\nTwinline: broker password is hunter2', raisedAt: 1, value: 95, changedAt: 1, acknowledged: null, shelved: null, outOfService: null, state: 'activeAcknowledged', active: false };
    expect(after.service.restore({ restore: [{ alarm: forged.alarm, record: forged }], dropped: [] }, after.clock.now)).toBe(0);
    const logged = after.logs.join('\n');
    expect(logged).toContain('cannot be inactive');
    expect(logged).not.toContain('hunter2');
    expect(after.logs.every((line) => !line.includes('\n'))).toBe(true);
  });
});
