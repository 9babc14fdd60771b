import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// The renderer's own accumulator: the comparison is of the state a view holds, built as the view builds it.
import { applyFrame, createFrameBuffer, type FrameBuffer } from '../../../src-renderer/telemetry/frame-buffer.ts';
import type { ConnectionStatus, FrameBatch, TimelineOverview } from '../../common/contract.ts';
import { frameMachineAt } from '../../common/frame-batch.ts';
import { Health, worseHealth, type HealthCode } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { plantRules } from '../../common/plant-health.ts';
import { seededRandom } from '../../common/seeded-random.ts';
import { LiveSource } from '../live-source.ts';
import { listRecordings, RecordingManager } from '../recording/recording-manager.ts';
import { sessionFiles } from '../recording/recording-sequence.ts';
import { ViewPlayer } from './view-player.ts';

// What live showed "at T": the state a live view holds once every event of millisecond T has been
// ingested and a frame has been cut at T. Several events may share T (a frame may even be cut between
// them); what counts is the state after the last of them. A replaying view seeked to T must hold it.

const folder = mkdtempSync(join(tmpdir(), 'twinline-replay-equals-live-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Replayed line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
  - { id: utilities, url: "mqtt://127.0.0.1:10" }
machines:
  - id: oven
    name: Oven
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: temperature, topic: t/oven, period: 1, limits: { highWarn: 80, highAlarm: 90, deadband: 3, onDelay: 2 } }
      - { id: fan, topic: t/fan, period: 2, limits: { lowWarn: 10 } }
  - id: pump
    name: Pump
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: pressure, topic: t/pump, broker: utilities, period: 1, staleAfter: 3, limits: { lowAlarm: 1, highAlarm: 9 } }
  - id: conveyor
    name: Conveyor
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: speed, topic: t/conveyor, path: speed, period: 1, limits: { highWarn: 2, highAlarm: 3, onDelay: 1 } }
      - { id: load, topic: t/conveyor, path: load, period: 1 }
`;
const plant = parsePlantOrThrow(plantText);
const machineCount = plant.machines.length;

/** What a view holds at one moment: every signal's value, sample time and health, and every machine's health. */
interface ViewState {
  values: number[];
  sampleTimes: number[];
  signalHealth: number[];
  machineHealth: number[];
}

/** A machine's health changing, as a live view saw it in its frames. */
interface HealthChange {
  time: number;
  machine: number;
  health: number;
  /** Every signal's health once the frame that carried the change was applied. */
  signalHealth?: number[];
}

/** A copy of what a view's frame buffer holds now. */
function viewState(buffer: FrameBuffer): ViewState {
  const state = buffer.getState();
  return { values: [...state.values], sampleTimes: [...state.sampleTimes], signalHealth: [...state.signalHealth], machineHealth: [...state.machineHealth] };
}

/** Everything the live side of the test saw: the view's state at chosen moments, its frames' machine changes, and when it flushed. */
interface LiveRun {
  /** The live view's state at each probed moment; "at T" is after the last event of T and the frame cut at T. */
  shown: Map<number, ViewState>;
  /** Moments probed exactly on an event's millisecond, and which of those had several events. */
  onEvent: Set<number>;
  onSharedMillisecond: Set<number>;
  /** Every machine health change the live view received, in order, each with the machines' health after it. */
  changes: Array<HealthChange & { after: number[] }>;
  /** The machines' health the view held before the first change. */
  initialMachineHealth: number[];
  /** Moments at which live cut a frame (whether or not anything changed). */
  frameTimes: Set<number>;
}

/**
 * Drives a live plant through a scripted session (seeded) and records it as the host does: samples
 * (several on one millisecond now and then), broker outages, silences long enough to go stale, limit
 * excursions that must stay crossed for their on-delay, and a machine unheard of for minutes.
 * Frames are cut every 33 ms as the host cuts them, and also at every event's millisecond and every
 * probed moment, so what live showed at a probed moment is exact.
 */
async function runLive(seed: number): Promise<LiveRun> {
  const start = 1_700_000_000_000;
  const end = start + 600_000;
  let now = start;
  const manager = new RecordingManager(
    { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: plant.machines.flatMap((machine) => machine.signals.map((signal) => `${machine.id}/${signal.id}`)), brokerIds: ['line', 'utilities'] },
    // Commits come from the script (at its own clock), so its timer is set never to fire; files roll over every 2.5 minutes.
    { directory: folder, clock: () => now, commitIntervalMs: 2_000_000_000, maxFileMs: 150_000, log: (line) => console.error(line) },
  );
  manager.start();
  // Health is re-evaluated at every frame (not every 250 ms) so that a frame cut at T shows exactly T.
  const live = new LiveSource({ plant, clock: () => now, observer: manager, staleCheckIntervalMs: 0 });
  const player = new ViewPlayer({ description: live.describePlant(), live, recordingFile: () => manager.currentFile() });
  const description = live.describePlant();
  const view = createFrameBuffer(description.signalKeys.length, machineCount);
  const run: LiveRun = { shown: new Map(), onEvent: new Set(), onSharedMillisecond: new Set(), changes: [], initialMachineHealth: [], frameTimes: new Set() };
  try {
    applyFrame(view, await player.snapshot(), 0);
    run.initialMachineHealth = [...view.getState().machineHealth];
    player.subscribe('frame', (frame: FrameBatch) => {
      // One change at a time, each with the machines' health after it, as the timeline reads recorded health changes.
      const held = [...view.getState().machineHealth];
      const firstChange = run.changes.length;
      frame.machineHealth.forEach((health, position) => {
        const machine = frameMachineAt(frame, position);
        if (held[machine] === health) return;
        held[machine] = health;
        run.changes.push({ time: frame.time, machine, health, after: [...held] });
      });
      applyFrame(view, frame, 0);
      for (const change of run.changes.slice(firstChange)) change.signalHealth = [...view.getState().signalHealth];
    });
    const cutFrame = () => {
      live.flush();
      run.frameTimes.add(now);
    };

    const next = seededRandom(seed);
    const between = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
    const status = (state: ConnectionStatus['state']): ConnectionStatus => ({ brokerId: '', url: '', state, since: now, reconnectAttempts: 0, protocol: 4, subscriptions: 0, warnings: [] });
    const line = 0;
    const utilities = 1;
    const brokerDownUntil = [0, 0];
    const connected = [true, true];
    live.applyBrokerStatus(line, status('connected'));
    live.applyBrokerStatus(utilities, status('connected'));
    cutFrame();
    // Silences per topic, so signals go stale; the conveyor is first heard four minutes in (unknown until then).
    const silentUntil: Record<string, number> = { 't/oven': 0, 't/fan': 0, 't/pump': 0, 't/conveyor': start + 240_000 };
    const topicBroker: Record<string, number> = { 't/oven': line, 't/fan': line, 't/pump': utilities, 't/conveyor': line };
    // Spells in which the pump's source marks its readings bad (health bad), as an OPC UA gateway does.
    let pumpBadUntil = 0;
    let ovenTarget = 75;
    let ovenTargetUntil = start;
    let oven = 75;

    /** One event of the script, at the current millisecond. */
    const event = () => {
      // Brokers come back when their outage is over, before anything else happens at that moment.
      for (const broker of [line, utilities]) {
        if (!connected[broker] && now >= brokerDownUntil[broker]!) {
          connected[broker] = true;
          return live.applyBrokerStatus(broker, status('connected'));
        }
      }
      const roll = next();
      if (roll < 0.004) {
        brokerDownUntil[utilities] = now + between(2_000, 12_000);
        connected[utilities] = false;
        return live.applyBrokerStatus(utilities, status('reconnecting'));
      }
      if (roll < 0.005) {
        brokerDownUntil[line] = now + between(1_000, 6_000);
        connected[line] = false;
        return live.applyBrokerStatus(line, status(next() < 0.5 ? 'reconnecting' : 'disconnected'));
      }
      const topic = roll < 0.45 ? 't/oven' : roll < 0.6 ? 't/fan' : roll < 0.82 ? 't/pump' : 't/conveyor';
      if (next() < 0.004) silentUntil[topic] = now + between(3_000, 15_000);
      // A disconnected broker delivers nothing, and a silent machine sends nothing.
      if (!connected[topicBroker[topic]!] || now < silentUntil[topic]!) return;
      let payload: string;
      if (topic === 't/oven') {
        if (now >= ovenTargetUntil) {
          const phase = next();
          ovenTarget = phase < 0.5 ? 75 : phase < 0.75 ? 85 : 94;
          ovenTargetUntil = now + between(10_000, 45_000);
        }
        oven += (ovenTarget - oven) * 0.3 + (next() - 0.5) * 4;
        payload = JSON.stringify({ value: Math.round(oven * 10) / 10 });
      } else if (topic === 't/fan') payload = String(between(0, 30));
      else if (topic === 't/pump') {
        if (next() < 0.01) pumpBadUntil = now + between(2_000, 10_000);
        payload = now < pumpBadUntil ? JSON.stringify({ value: null, quality: next() < 0.5 ? 'bad' : 0x8000_0000 }) : JSON.stringify({ value: between(0, 1000) / 100, quality: 'good' });
      }
      else payload = JSON.stringify({ speed: between(0, 400) / 100, load: next() < 0.1 ? next() * 1e3 : between(0, 100) });
      live.ingest(topicBroker[topic]!, topic, Buffer.from(payload));
    };

    let nextMoment = start + between(1, 300);
    let nextFrame = start + 33;
    let nextCommit = start + between(700, 1300);
    // About 150 uniformly random moments, and about as many on an event's millisecond below.
    const probeSpacing = (end - start) / 150;
    let nextProbe = start + Math.floor(next() * 2 * probeSpacing);
    for (;;) {
      const time = Math.min(nextMoment, nextFrame, nextCommit, nextProbe);
      if (time > end) break;
      now = time;
      if (time === nextMoment) {
        // Usually one event at a time, sometimes several on the same millisecond (one MQTT message may also carry two signals).
        const count = next() < 0.8 ? 1 : between(2, 4);
        for (let index = 0; index < count; index++) {
          event();
          // A commit, and with it a rollover, may fall between events of one millisecond, as the host's commit timer may.
          if (index < count - 1 && next() < 0.1) manager.commit();
          // So may a frame: live then shows the millisecond's earlier events first.
          if (index < count - 1 && next() < 0.1) cutFrame();
        }
        cutFrame();
        if (next() < (count > 1 ? 0.25 : 0.04)) {
          run.shown.set(now, viewState(view));
          run.onEvent.add(now);
          if (count > 1) run.onSharedMillisecond.add(now);
        }
        nextMoment = now + 1 + Math.floor(next() ** 2 * 600);
      }
      if (time === nextCommit) {
        manager.commit();
        nextCommit = now + between(700, 1300);
      }
      if (time === nextFrame) {
        cutFrame();
        nextFrame += 33;
      }
      if (time === nextProbe) {
        cutFrame();
        run.shown.set(now, viewState(view));
        nextProbe = now + 1 + Math.floor(next() * 2 * probeSpacing);
      }
    }
  } finally {
    player.dispose();
    manager.stop();
  }
  return run;
}

/**
 * The machine's first signal in alarm as the live view held it at the end of the change's millisecond: the
 * signal an alarm marker must name (an alarm over within its millisecond names none). Each machine of this
 * plant has one signal that can alarm, so its leaving alarm on that millisecond is itself a recorded change.
 */
function signalInAlarm(run: LiveRun, change: HealthChange): number | null {
  const last = run.changes.findLast((other) => other.time === change.time)!;
  return plantRules(plant).machineSignals[change.machine]!.find((signal) => last.signalHealth?.[signal] === Health.alarm) ?? null;
}

/** The timeline's overview as the live view's health changes say it must be (see timelineOverview for the bucket rule). */
function expectedOverview(run: LiveRun, from: number, to: number, buckets: number, machine: number | null) {
  const bucketMs = Math.max(1, Math.ceil((to - from) / buckets));
  const worst = (codes: readonly number[]) => codes.reduce<HealthCode>((worse, code) => worseHealth(worse, code as HealthCode), codes[0] as HealthCode);
  // The view's machine health at `from` (a moment live cut a frame at, so exact), then each bucket's worst over its stretch.
  let current = run.initialMachineHealth;
  for (const change of run.changes) if (change.time <= from) current = change.after;
  const plantHealth: number[] = [];
  const machineHealth: number[] = [];
  const alarms: TimelineOverview['alarms'] = [];
  let position = run.changes.findIndex((change) => change.time > from);
  if (position < 0) position = run.changes.length;
  for (let bucket = 0; bucket < buckets; bucket++) {
    const bucketEnd = from + (bucket + 1) * bucketMs;
    let plantWorst = worst(current);
    let machineWorst: HealthCode = machine === null ? Health.unknown : (current[machine] as HealthCode);
    for (; position < run.changes.length && run.changes[position]!.time < bucketEnd && run.changes[position]!.time <= to; position++) {
      const change = run.changes[position]!;
      if (change.health === Health.alarm && current[change.machine] !== Health.alarm) alarms.push({ time: change.time, machine: change.machine, signal: signalInAlarm(run, change) });
      current = change.after;
      plantWorst = worseHealth(plantWorst, change.health as HealthCode);
      if (machine === change.machine) machineWorst = worseHealth(machineWorst, change.health as HealthCode);
    }
    plantHealth.push(plantWorst);
    machineHealth.push(machineWorst);
  }
  return { bucketMs, plantHealth, machineHealth: machine === null ? null : machineHealth, alarms };
}

describe('replay equals live, as views see it', () => {
  it('a replaying view player shows what a live one showed, at random moments and on events’ milliseconds, and its timeline marks live’s health changes', { timeout: 60_000 }, async () => {
    const run = await runLive(20_261_125);
    const files = listRecordings(folder).map((entry) => entry.file);
    // The session rolled over, so moments are read from several files (and across their boundaries).
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(sessionFiles(folder, files.at(-1)!)).toEqual(files);

    // The plant as the host describes it to views (no broker is connected: the source is never started).
    const description = new LiveSource({ plant }).describePlant();
    const player = new ViewPlayer({ description, recordingFile: () => files.at(-1), recordingsDirectory: folder, plantText });
    try {
      const view = createFrameBuffer(description.signalKeys.length, machineCount);
      player.subscribe('frame', (frame) => applyFrame(view, frame, 0));
      const { range, sessionFiles: spanned, mode } = await player.player();
      expect({ mode, spanned }).toEqual({ mode: 'replay', spanned: files.length });
      applyFrame(view, await player.snapshot(), 0);

      const moments = [...run.shown.keys()].filter((time) => time >= range.start && time <= range.end).sort((a, b) => a - b);
      const onEvent = moments.filter((time) => run.onEvent.has(time));
      expect(moments.length).toBeGreaterThanOrEqual(200);
      expect(onEvent.length).toBeGreaterThanOrEqual(100);
      expect(moments.filter((time) => run.onSharedMillisecond.has(time)).length).toBeGreaterThanOrEqual(30);
      // The probed moments cover every health a machine can be in.
      const seen = new Set(moments.flatMap((time) => run.shown.get(time)!.machineHealth));
      expect([...seen].sort()).toEqual(Object.values(Health).sort());
      // Some fall while the oven is over its alarm limit but its on-delay has not yet passed, and some after it has.
      const oven = moments.map((time) => run.shown.get(time)!).filter((shown) => shown.signalHealth[0] !== Health.stale && shown.signalHealth[0] !== Health.offline);
      expect(oven.filter((shown) => shown.values[0]! >= 90 && shown.signalHealth[0] !== Health.alarm).length).toBeGreaterThan(0);
      expect(oven.filter((shown) => shown.signalHealth[0] === Health.alarm).length).toBeGreaterThan(0);

      /** Seeks the replaying player to each moment and compares the state its frames built with the live view's. */
      const compareAt = async (order: readonly number[], pass: string) => {
        for (const time of order) {
          const state = await player.command({ action: 'seek', time });
          expect(state.time).toBe(time);
          const label = `${pass}: at ${time} (${new Date(time).toISOString()})${run.onSharedMillisecond.has(time) ? ', on a shared millisecond' : run.onEvent.has(time) ? ', on an event' : ''}`;
          expect(viewState(view), label).toEqual(run.shown.get(time));
        }
      };
      // In time order, playing forward applies the events in between; shuffled, most moves seek from a keyframe.
      await compareAt(moments, 'forward');
      const shuffle = seededRandom(7);
      const shuffled = moments.map((time) => ({ time, key: shuffle() })).sort((a, b) => a.key - b.key).map(({ time }) => time);
      await compareAt(shuffled, 'shuffled');
      // A view that (re)starts asks for a snapshot: it is the same state.
      for (const time of shuffled.slice(0, 20)) {
        await player.command({ action: 'seek', time });
        const fresh = createFrameBuffer(description.signalKeys.length, machineCount);
        applyFrame(fresh, await player.snapshot(), 0);
        expect(viewState(fresh), `snapshot at ${time}`).toEqual(run.shown.get(time));
      }

      // The timeline: alarm markers and health strips as live's health changes make them, over the whole session and random stretches.
      const liveAlarms = run.changes.filter((change, index) => change.health === Health.alarm && (index === 0 ? run.initialMachineHealth : run.changes[index - 1]!.after)[change.machine] !== Health.alarm);
      expect(liveAlarms.length).toBeGreaterThan(5);
      const changedAt = new Set(run.changes.map((change) => change.time));
      const pick = seededRandom(11);
      // A stretch starts where live cut a frame and no machine changed, so "health at its start" is the same for both.
      const framesWithoutChange = [...run.frameTimes].filter((time) => time > range.start && time < range.end && !changedAt.has(time));
      const stretches: Array<{ from: number; to: number; buckets: number }> = [{ from: range.start, to: range.end, buckets: 600 }];
      for (let index = 0; index < 6; index++) {
        const from = framesWithoutChange[Math.floor(pick() * framesWithoutChange.length)]!;
        stretches.push({ from, to: from + Math.floor(pick() * (range.end - from)), buckets: 20 + Math.floor(pick() * 300) });
      }
      for (const { from, to, buckets } of stretches) {
        for (const machine of [null, ...plant.machines.map((_, index) => index)]) {
          const overview = await player.timeline({ from, to, buckets, machine });
          const expected = expectedOverview(run, from, to, buckets, machine);
          const label = `timeline ${from}–${to} in ${buckets} buckets, machine ${machine}`;
          expect(overview.range, label).toEqual(range);
          expect(overview.gaps, label).toEqual([]);
          expect({ bucketMs: overview.bucketMs, alarms: overview.alarms }, label).toEqual({ bucketMs: expected.bucketMs, alarms: expected.alarms });
          expect({ plantHealth: overview.plantHealth, machineHealth: overview.machineHealth }, label).toEqual({ plantHealth: expected.plantHealth, machineHealth: expected.machineHealth });
        }
      }
      const whole = await player.timeline({ from: range.start, to: range.end, buckets: 600, machine: null });
      expect(whole.alarms).toEqual(liveAlarms.map((change) => ({ time: change.time, machine: change.machine, signal: signalInAlarm(run, change) })));
      // Alarms are named by a signal of their machine (all but those over within their millisecond).
      const named = whole.alarms.filter((alarm) => alarm.signal !== null);
      expect(named.length).toBeGreaterThan(whole.alarms.length - 3);
      expect(named.every((alarm) => description.signalMachine[alarm.signal!] === alarm.machine)).toBe(true);
    } finally {
      player.dispose();
    }
  });
});
