import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Health, healthStates } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { plantRules } from '../../common/plant-health.ts';
import { shiftSummaryCsv, stateShares } from '../../common/shift-summary.ts';
import { Recorder } from '../recording/recorder.ts';
import { RecordingSequence } from '../recording/recording-sequence.ts';
import { shiftSummary } from './shift-summary.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-shift-summary-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Shift
machines:
  - { id: oven, name: Oven, area: Melt, line: L1, primitive: { shape: box }, signals: [{ id: temperature, topic: t/oven, limits: { highWarn: 80, highAlarm: 90 } }] }
  - { id: pump, name: "=Pump", area: Melt, line: L1, primitive: { shape: box }, signals: [{ id: pressure, topic: t/pump, limits: { highAlarm: 90 } }] }
  - { id: press, name: Press, area: Forming, line: L2, primitive: { shape: box }, signals: [{ id: force, topic: t/press }] }
`;
const plant = parsePlantOrThrow(plantText);
const rules = plantRules(plant);
const source = { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['oven/temperature', 'pump/pressure', 'press/force'], brokerIds: ['default'] };

const start = Date.UTC(2026, 10, 25, 6, 0, 0);
const second = 1000;
/** Oven value by seconds since start: warn from 10 s, alarm from 25 s, back to normal at 40 s. */
const oven = (at: number) => (at >= 10 && at < 25 ? 85 : at >= 25 && at < 40 ? 95 : 60);
/** Pump value: alarm from 45 s to 50 s. */
const pump = (at: number) => (at >= 45 && at < 50 ? 95 : 50);
/** The press falls silent after its sample at 24 s (stale 5 s later), and reports again from 50 s. */
const pressReports = (at: number) => at <= 24 || at >= 50;

/**
 * The first run: a sample a second, machine health as live recorded it at the moments scripted above,
 * then the host stops (its broker disconnected 5 ms after the last second); the second run starts 30 s
 * after the first ended and is ok throughout.
 */
function recordRuns(): [string, string] {
  const first = join(folder, 'twinline-20261125-060000Z.twinline');
  const recorder = new Recorder(first, source);
  recorder.recordConnection(0, true, start);
  for (let at = 0; at <= 60; at++) {
    const time = start + at * second;
    recorder.recordSample(0, oven(at), time);
    recorder.recordSample(1, pump(at), time);
    if (pressReports(at)) recorder.recordSample(2, 5, time);
    if (at === 0) for (const machine of [0, 1, 2]) recorder.recordHealth(machine, Health.ok, time);
    if (at === 10) recorder.recordHealth(0, Health.warn, time);
    if (at === 25) recorder.recordHealth(0, Health.alarm, time);
    if (at === 40) recorder.recordHealth(0, Health.ok, time);
    if (at === 45) recorder.recordHealth(1, Health.alarm, time);
    if (at === 50) recorder.recordHealth(1, Health.ok, time);
    if (at === 29) recorder.recordHealth(2, Health.stale, time);
    if (at === 50) recorder.recordHealth(2, Health.ok, time);
    if (at % 10 === 0) recorder.commit();
  }
  recorder.recordConnection(0, false, start + 60 * second + 5);
  recorder.close();
  const secondFile = join(folder, 'twinline-20261125-060130Z.twinline');
  const next = new Recorder(secondFile, source);
  next.recordConnection(0, true, start + 90 * second);
  for (let at = 90; at <= 120; at++) {
    const time = start + at * second;
    for (const signal of [0, 1, 2]) next.recordSample(signal, 50, time);
    if (at === 90) for (const machine of [0, 1, 2]) next.recordHealth(machine, Health.ok, time);
    if (at % 10 === 0) next.commit();
  }
  next.close();
  return [first, secondFile];
}

const files = recordRuns();
const frameMs = 33;
const code = (state: (typeof healthStates)[number]) => healthStates.indexOf(state);

/** Expects a machine's scripted durations (ms) in each named state, to within one frame, and nothing in the others. */
function expectDurations(actual: number[], expected: Partial<Record<(typeof healthStates)[number], number>>, what: string): void {
  for (const state of healthStates) {
    const want = expected[state] ?? 0;
    expect(Math.abs(actual[code(state)]! - want), `${what}: ${state} was ${actual[code(state)]} ms, scripted ${want} ms`).toBeLessThanOrEqual(frameMs);
  }
}

describe('shiftSummary', () => {
  it('gives each machine and line the scripted time in each state, the pause between runs offline', () => {
    const sequence = new RecordingSequence(files, () => false);
    try {
      const summary = shiftSummary(sequence, rules, { from: start - 3_600_000, to: start + 3_600_000 });
      // The range read is what the recording holds.
      expect(summary.from).toBe(start);
      expect(summary.to).toBe(start + 120 * second);
      const pause = 90 * second - (60 * second + 5);
      const perMachine = (machine: number) => {
        const top = summary.topAlarm.find((entry) => entry.machine === machine);
        return top?.milliseconds;
      };
      expectDurations(perMachine(0)!, { ok: 10_000 + 20_005 + 30_000, warn: 15_000, alarm: 15_000, offline: pause }, 'oven');
      expectDurations(perMachine(1)!, { ok: 45_000 + 10_005 + 30_000, alarm: 5_000, offline: pause }, 'pump');
      // The press is in no top list; its line holds it alone.
      const [melt, forming] = summary.lines;
      expect(melt).toMatchObject({ area: 'Melt', line: 'L1', machines: [0, 1] });
      expect(forming).toMatchObject({ area: 'Forming', line: 'L2', machines: [2] });
      expectDurations(forming!.milliseconds, { ok: 29_000 + 10_005 + 30_000, stale: 21_000, offline: pause }, 'press line');
      expectDurations(melt!.milliseconds, { ok: 60_005 + 85_005, warn: 15_000, alarm: 20_000, offline: 2 * pause }, 'melt line');
      // Longest in alarm first, with how often each entered alarm.
      expect(summary.topAlarm.map((entry) => [entry.machine, entry.alarmsEntered])).toEqual([
        [0, 1],
        [1, 1],
      ]);
      const shares = stateShares(forming!.milliseconds);
      expect(shares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 9);
    } finally {
      sequence.close();
    }
  });

  it('starts a range inside the recording from the state recorded there, and cuts it at its end', () => {
    const sequence = new RecordingSequence(files, () => false);
    try {
      const summary = shiftSummary(sequence, rules, { from: start + 30 * second, to: start + 55 * second });
      expect([summary.from, summary.to]).toEqual([start + 30 * second, start + 55 * second]);
      const oven = summary.topAlarm.find((entry) => entry.machine === 0)!;
      expectDurations(oven.milliseconds, { alarm: 10_000, ok: 15_000 }, 'oven from 30 s');
      // It was in alarm already at the range's start: entering counts only inside the range.
      expect(oven.alarmsEntered).toBe(0);
      expectDurations(summary.lines[1]!.milliseconds, { stale: 20_000, ok: 5_000 }, 'press from 30 s');
    } finally {
      sequence.close();
    }
  });

  it('refuses a range longer than a month', () => {
    const sequence = new RecordingSequence(files, () => false);
    try {
      expect(() => shiftSummary(sequence, rules, { from: start, to: start + 40 * 86_400_000 })).toThrow(/at most 31 days/);
    } finally {
      sequence.close();
    }
  });

  it('writes CSV with shares per line and formula-looking names neutralised', () => {
    const sequence = new RecordingSequence(files, () => false);
    try {
      const summary = shiftSummary(sequence, rules, { from: start, to: start + 60 * second });
      const csv = shiftSummaryCsv(summary, (machine) => plant.machines[machine]!.name, (time) => new Date(time).toISOString());
      const lines = csv.split('\r\n');
      expect(lines[3]).toBe('area,line,machines,ok %,warn %,alarm %,stale %,offline %,bad %,unknown %');
      // The oven: 30 of 60 s ok, 15 warn, 15 alarm; the pump 55 ok and 5 alarm: of 120 machine-seconds.
      expect(lines[4]).toBe('Melt,L1,2,70.83,12.50,16.67,0.00,0.00,0.00,0.00');
      expect(lines).toContain(`"'=Pump",0.08,1`);
    } finally {
      sequence.close();
    }
  });
});
