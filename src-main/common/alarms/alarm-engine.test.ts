import { describe, expect, it } from 'vitest';
import { applySample, ruleForSignal, signalHealthAt, type SignalRuleState } from '../health.ts';
import { parsePlantOrThrow } from '../parse-plant.ts';
import type { Plant } from '../plant-schema.ts';
import { signalOrder } from '../signal-order.ts';
import { AlarmEngine, floodRule } from './alarm-engine.ts';

const plantText = `
name: Alarm test plant
machines:
  - id: oven
    name: Oven
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: temperature, topic: t/oven/temperature, unit: °C, limits: { lowAlarm: 5, lowWarn: 10, highWarn: 80, highAlarm: 90, deadband: 2, onDelay: 3, priority: { highAlarm: critical, lowWarn: low } } }
      - { id: pressure, topic: t/oven/pressure, unit: bar, limits: { highAlarm: 9 } }
`;

/** Twelve machines with one high-alarm signal each, for the flood tests. */
function floodPlant(): Plant {
  const machines = Array.from({ length: 12 }, (_, index) => `
  - id: m${index}
    name: M${index}
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: level, topic: t/m${index}/level, limits: { highAlarm: 10 } }`).join('');
  return parsePlantOrThrow(`name: Flood plant\nmachines:${machines}\n`);
}

/**
 * Feeds samples through the real health rules (as LiveSource does) and the engine: the engine sees
 * the health a view would see at each moment, on-delay and hysteresis included.
 */
class Feeder {
  readonly engine: AlarmEngine;
  private readonly plant: Plant;
  private readonly states: Array<SignalRuleState | undefined> = [];

  constructor(plant: Plant) {
    this.plant = plant;
    this.engine = new AlarmEngine(plant);
  }

  sample(signal: number, value: number, time: number): void {
    const definition = signalOrder(this.plant).signals[signal]!;
    this.states[signal] = applySample(this.states[signal], definition.limits, value, time);
    this.at(signal, time);
  }

  /** Health at `time` without a new sample: where an on-delay matures. */
  at(signal: number, time: number): void {
    const definition = signalOrder(this.plant).signals[signal]!;
    this.engine.evaluate(signal, signalHealthAt(this.states[signal], ruleForSignal(definition), time, true), this.states[signal]!.value, time);
    this.engine.tick(time);
  }

  /** Each alarm's state by its limit, for the signal. */
  states_(signal: number): Record<string, string> {
    return Object.fromEntries(this.engine.snapshot(0).alarms.filter((record) => record.signal === signal).map((record) => [record.limit, record.state]));
  }
}

const t0 = 1_764_000_000_000;

describe('alarm engine', () => {
  it('raises after the on-delay, with the priority the plant file gives, and the warning below it at its default', () => {
    const feeder = new Feeder(parsePlantOrThrow(plantText));
    feeder.sample(0, 50, t0);
    feeder.sample(0, 95, t0 + 1000);
    // Within the 3 s on-delay nothing is raised yet.
    feeder.at(0, t0 + 3999);
    expect(feeder.states_(0)).toEqual({});
    feeder.at(0, t0 + 4000);
    expect(feeder.states_(0)).toEqual({ highWarn: 'activeUnacknowledged', highAlarm: 'activeUnacknowledged' });
    const records = feeder.engine.snapshot(t0).alarms;
    expect(records.map((record) => [record.limit, record.priority])).toEqual([['highWarn', 'medium'], ['highAlarm', 'critical']]);
    expect(records[1]!.message).toBe('Oven — temperature high alarm (≥ 90 °C): 95 °C');
    expect(records[1]!.raisedAt).toBe(t0 + 4000);
  });

  it('clears on the value back inside by the deadband, and the low side has its own alarms', () => {
    const feeder = new Feeder(parsePlantOrThrow(plantText));
    feeder.sample(1, 9.5, t0);
    expect(feeder.states_(1)).toEqual({ highAlarm: 'activeUnacknowledged' });
    feeder.sample(1, 5, t0 + 1000);
    expect(feeder.states_(1)).toEqual({ highAlarm: 'returnedUnacknowledged' });
    feeder.sample(0, 9, t0);
    feeder.at(0, t0 + 3000);
    expect(feeder.states_(0)).toEqual({ lowWarn: 'activeUnacknowledged' });
    const lowWarn = feeder.engine.snapshot(t0).alarms.find((record) => record.limit === 'lowWarn')!;
    expect(lowWarn.priority).toBe('low');
  });

  it('keeps conditions as they were while a signal is stale or of bad quality', () => {
    const feeder = new Feeder(parsePlantOrThrow(plantText));
    feeder.sample(1, 9.5, t0);
    feeder.sample(1, Number.NaN, t0 + 1000);
    expect(feeder.states_(1)).toEqual({ highAlarm: 'activeUnacknowledged' });
  });

  it('applies operator actions with who and when, refuses what does not apply, and expires a shelf by itself', () => {
    const feeder = new Feeder(parsePlantOrThrow(plantText));
    const engine = feeder.engine;
    feeder.sample(1, 9.5, t0);
    const alarm = 1 * 4 + 3;
    // Alarm 5 would be the pressure's low alarm, a limit the plant does not give.
    expect(engine.acknowledge([alarm, 5], 'ana', t0 + 10)).toEqual({ applied: [alarm], refused: [{ alarm: 5, reason: 'no such alarm' }] });
    expect(engine.record(alarm).acknowledged).toEqual({ operator: 'ana', time: t0 + 10 });
    expect(engine.acknowledge([alarm], 'ana', t0 + 20).refused[0]!.reason).toBe('cannot acknowledge an alarm that is activeAcknowledged (active)');
    engine.shelve([alarm], 60_000, 'sensor being replaced', 'ben', t0 + 30);
    expect(engine.record(alarm)).toMatchObject({ state: 'shelved', shelved: { operator: 'ben', reason: 'sensor being replaced', until: t0 + 60_030 } });
    engine.tick(t0 + 60_029);
    expect(engine.record(alarm).state).toBe('shelved');
    engine.tick(t0 + 60_030);
    expect(engine.record(alarm)).toMatchObject({ state: 'activeUnacknowledged', shelved: null });
    const events = engine.takeTransitions().alarms.map((transition) => [transition.event, transition.operator, transition.time - t0]);
    expect(events).toEqual([['raise', null, 0], ['acknowledge', 'ana', 10], ['shelve', 'ben', 30], ['shelveExpiry', null, 60_030]]);
  });
});

describe('flood indicator', () => {
  it('raises the flood at the 11th new alarm within 600 s, not at the 10th', () => {
    const feeder = new Feeder(floodPlant());
    for (let index = 0; index < 10; index++) feeder.sample(index, 11, t0 + index * 59_000);
    expect(feeder.engine.flood().active).toBe(false);
    feeder.sample(10, 11, t0 + 599_000);
    expect(feeder.engine.flood()).toEqual({ active: true, since: t0 + 599_000 });
  });

  it('does not flood on 11 alarms spread over more than 10 minutes', () => {
    const feeder = new Feeder(floodPlant());
    for (let index = 0; index < 11; index++) feeder.sample(index, 11, t0 + index * 61_000);
    expect(feeder.engine.flood().active).toBe(false);
  });

  it('clears once fewer than 5 new alarms fall within the last 10 minutes, and not while 5 do', () => {
    const feeder = new Feeder(floodPlant());
    // Six alarms at once, then five more, one a minute: a flood of 11.
    for (let index = 0; index < 6; index++) feeder.sample(index, 11, t0);
    for (let index = 6; index < 11; index++) feeder.sample(index, 11, t0 + (index - 5) * 60_000);
    expect(feeder.engine.flood().active).toBe(true);
    // Once the first six have left the window, five remain (one a minute from t0 + 1 min): still a flood.
    feeder.engine.tick(t0 + floodRule.windowMs);
    expect(feeder.engine.flood().active).toBe(true);
    // And when the one from t0 + 1 min leaves, four remain: cleared.
    feeder.engine.tick(t0 + 60_000 + floodRule.windowMs);
    expect(feeder.engine.flood()).toEqual({ active: false, since: null });
    const flood = feeder.engine.takeTransitions().flood;
    expect(flood.map((transition) => [transition.flood.active, transition.time - t0])).toEqual([[true, 300_000], [false, 660_000]]);
  });

  it('counts neither shelved nor out-of-service alarms toward a flood', () => {
    const feeder = new Feeder(floodPlant());
    feeder.engine.suppress([3], 'commissioning', 'ana', t0);
    for (let index = 0; index < 11; index++) feeder.sample(index, 11, t0 + index);
    expect(feeder.engine.flood().active).toBe(false);
  });
});
