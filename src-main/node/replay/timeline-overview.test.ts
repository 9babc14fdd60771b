import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Health, worseHealth, type HealthCode } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { plantRules } from '../../common/plant-health.ts';
import { Recorder } from '../recording/recorder.ts';
import { RecordingSequence } from '../recording/recording-sequence.ts';
import { ReplayCursor } from './replay-cursor.ts';
import { readThroughMs, timelineOverview } from './timeline-overview.ts';
import type { RecordedHistory } from '../recording/recorded-history.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-overview-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Two runs
machines:
  - { id: oven, name: Oven, area: A, line: L, primitive: { shape: box }, signals: [{ id: temperature, topic: t/oven, limits: { highWarn: 80, highAlarm: 90 } }] }
  - { id: pump, name: Pump, area: A, line: L, primitive: { shape: box }, signals: [{ id: pressure, topic: t/pump }] }
`;
const plant = parsePlantOrThrow(plantText);
const rules = plantRules(plant);
const source = { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['oven/temperature', 'pump/pressure'], brokerIds: ['default'] };

const firstStart = Date.UTC(2026, 10, 25, 10, 0, 0);
const firstEnd = firstStart + 120_000;
// The reported case: the host stopped and was started again 55 s later.
const secondStart = firstEnd + 55_000;
const secondEnd = secondStart + 60_000;

/**
 * One run of the host as its recorder writes it: connected, a sample a second, machine health changes as
 * live saw them — the oven warns in the first run's second minute — and, when the run ends, its broker
 * disconnected as the host stops it, with no health change after (the host cuts no more frames then).
 */
function recordRun(file: string, start: number, end: number, ovenWarnsFrom: number): void {
  const recorder = new Recorder(file, source);
  recorder.recordConnection(0, true, start);
  for (let time = start; time <= end; time += 1000) {
    recorder.recordSample(0, time >= ovenWarnsFrom ? 85 : 60, time);
    recorder.recordSample(1, 5, time);
    if (time === start) {
      recorder.recordHealth(0, Health.ok, time);
      recorder.recordHealth(1, Health.ok, time);
    }
    if (time === ovenWarnsFrom) recorder.recordHealth(0, Health.warn, time);
    if ((time - start) % 10_000 === 0) recorder.commit();
  }
  recorder.recordConnection(0, false, end + 5);
  recorder.close();
}

const first = join(folder, 'twinline-20261125-100000Z.twinline');
const second = join(folder, 'twinline-20261125-100255Z.twinline');
recordRun(first, firstStart, firstEnd, firstStart + 60_000);
recordRun(second, secondStart, secondEnd, Number.POSITIVE_INFINITY);

/** The plant's worst health the scene shows at `time`, from a replay cursor as a replaying view gets it. */
function sceneAt(sequence: RecordingSequence, time: number): HealthCode {
  const cursor = new ReplayCursor(sequence, rules, time);
  const { machineHealth } = cursor.frame(true);
  return machineHealth.reduce<HealthCode>((worst, health) => worseHealth(worst, health as HealthCode), machineHealth[0] as HealthCode);
}

describe('timelineOverview', () => {
  it('shows between two runs what the scene shows (offline), not the last health recorded, and the next run as it was', () => {
    const sequence = new RecordingSequence([first, second], () => false);
    try {
      expect(sequence.pauses(firstStart, secondEnd)).toEqual([{ start: firstEnd + 5, end: secondStart }]);
      const from = firstStart;
      const bucketMs = 1000;
      const buckets = (secondEnd - firstStart) / bucketMs;
      const overview = timelineOverview(sequence, rules, { from, to: secondEnd, buckets, machine: 0 });
      const strip = (time: number) => overview.plantHealth[Math.floor((time - from) / bucketMs)];
      const oven = (time: number) => overview.machineHealth![Math.floor((time - from) / bucketMs)];
      // In the pause: offline, as the scene shows it, in both rows.
      for (let time = firstEnd + 1000; time < secondStart; time += 1000) {
        expect(sceneAt(sequence, time + 500), `the scene at ${new Date(time).toISOString()}`).toBe(Health.offline);
        expect(strip(time), `the strip at ${new Date(time).toISOString()}`).toBe(Health.offline);
        expect(oven(time)).toBe(Health.offline);
      }
      // Before it: the warning as recorded; after it: the second run's own state, not the first run's warning.
      expect(strip(firstStart + 90_000)).toBe(Health.warn);
      expect(sceneAt(sequence, firstStart + 90_500)).toBe(Health.warn);
      for (const time of [secondStart + 1000, secondStart + 30_000, secondEnd - 2000]) {
        expect(strip(time), `the strip at ${new Date(time).toISOString()}`).toBe(Health.ok);
        expect(sceneAt(sequence, time + 500)).toBe(Health.ok);
      }
      // At every moment the bucket shows at least what the scene shows there.
      for (let time = from; time < secondEnd; time += 5000) {
        const scene = sceneAt(sequence, time);
        expect(worseHealth(strip(time) as HealthCode, scene), `${new Date(time).toISOString()}: strip ${strip(time)}, scene ${scene}`).toBe(strip(time));
      }
    } finally {
      sequence.close();
    }
  });

  it('shows the pause when the window ends inside it', () => {
    const sequence = new RecordingSequence([first, second], () => false);
    try {
      const from = firstEnd - 30_000;
      const overview = timelineOverview(sequence, rules, { from, to: firstEnd + 30_000, buckets: 60, machine: null });
      expect(overview.plantHealth.slice(0, 29).every((health) => health === Health.warn)).toBe(true);
      expect(overview.plantHealth.slice(31)).toEqual(new Array(29).fill(Health.offline));
    } finally {
      sequence.close();
    }
  });

  it('names every alarm by its signal, however many, reading a state for a run of close alarms rather than for each', () => {
    // A press whose force or temperature (every third alarm) goes into alarm for half a second at a time:
    // a storm of alarms a second apart, then alarms further apart than a run reads through, and in the
    // next file, after a pause, the storm again.
    const pressText = `name: Alarm storm
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, signals: [{ id: force, topic: t/force, limits: { highAlarm: 90 } }, { id: temperature, topic: t/temperature, limits: { highAlarm: 90 } }] }
  - { id: pump, name: Pump, area: A, line: L, primitive: { shape: box }, signals: [{ id: pressure, topic: t/pump, limits: { highAlarm: 90 } }] }
`;
    const pressPlant = parsePlantOrThrow(pressText);
    const pressRules = plantRules(pressPlant);
    const pressSource = { plant: pressPlant, plantText: pressText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press/force', 'press/temperature', 'pump/pressure'], brokerIds: ['default'] };
    const expected: Array<{ time: number; machine: number; signal: number }> = [];
    const recordStorm = (file: string, start: number, spacings: number[]) => {
      const recorder = new Recorder(file, pressSource);
      recorder.recordConnection(0, true, start);
      for (const signal of [0, 1, 2]) recorder.recordSample(signal, 60, start);
      recorder.recordHealth(0, Health.ok, start);
      recorder.recordHealth(1, Health.ok, start);
      let time = start + 1000;
      for (const [index, spacing] of spacings.entries()) {
        // The pump alarms now and then too, its own signal named.
        const [machine, signal] = index % 7 === 6 ? [1, 2] : [0, index % 3 === 0 ? 1 : 0];
        recorder.recordSample(signal, 95, time);
        recorder.recordHealth(machine, Health.alarm, time);
        expected.push({ time, machine, signal });
        // Samples of the others between alarms, so that a run reads events that change nothing named.
        recorder.recordSample(signal === 2 ? 0 : 2, 61, time + 200);
        recorder.recordSample(signal, 60, time + 500);
        recorder.recordHealth(machine, Health.ok, time + 500);
        if (index % 20 === 19) recorder.commit();
        time += spacing;
      }
      recorder.recordConnection(0, false, time);
      recorder.close();
      return time;
    };
    const stormStart = Date.UTC(2026, 10, 26, 8, 0, 0);
    const firstStorm = join(folder, 'twinline-20261126-080000Z.twinline');
    const firstStormEnd = recordStorm(firstStorm, stormStart, [...new Array(180).fill(1000), ...new Array(40).fill(readThroughMs + 5000)]);
    const secondStart = firstStormEnd + 30_000;
    const secondStorm = join(folder, 'twinline-20261126-081600Z.twinline');
    const secondStormEnd = recordStorm(secondStorm, secondStart, new Array(100).fill(1000));
    expect(expected.length).toBeGreaterThan(200);

    const sequence = new RecordingSequence([firstStorm, secondStorm], () => false);
    try {
      let statesRead = 0;
      const counted: RecordedHistory = Object.create(sequence, {
        stateAt: { value: (time: number) => (statesRead++, sequence.stateAt(time)) },
      });
      const overview = timelineOverview(counted, pressRules, { from: stormStart, to: secondStormEnd, buckets: 500, machine: null });
      expect(overview.alarms).toEqual(expected);
      // A state for the window's start and for each end of the pause, then one per run (each storm, with the
      // first far alarm a second after the first storm's last, and each of the other 39 far alarms), never one per alarm.
      expect(statesRead).toBeLessThanOrEqual(1 + 2 + 2 + 39);
      expect(statesRead).toBeLessThan(expected.length / 5);
    } finally {
      sequence.close();
    }
  });
});
