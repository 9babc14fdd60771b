import { afterEach, describe, expect, it } from 'vitest';
import type { ForecastSnapshot } from '../../common/forecast/forecast-record.ts';
import { PlantForecaster } from '../../common/forecast/plant-forecaster.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { until } from '../testing/until.ts';
import { ForecastService } from './forecast-service.ts';

/** One machine with `count` signals, each with limits and a 64 s forecast window. */
function plantOf(count: number): ReturnType<typeof parsePlantOrThrow> {
  const signals = Array.from({ length: count }, (_, index) => `{ id: s${index}, topic: t/s${index}, limits: { highWarn: 80, highAlarm: 90 } }`);
  return parsePlantOrThrow(`name: Forecast service test
forecast: { horizon: 30 min, window: 64 s }
machines:
  - { id: kiln, name: Kiln, area: A, line: L, primitive: { shape: box }, signals: [${signals.join(', ')}] }
`);
}

const start = 1_800_000_000_000;
const now = start + 60_000;

/** A minute of rising samples, one a second, for every signal (each a little steeper than the one before). */
function rampSamples(count: number): Array<[number, number, number]> {
  const samples: Array<[number, number, number]> = [];
  for (let second = 0; second < 60; second++) for (let signal = 0; signal < count; signal++) samples.push([signal, 50 + second * (0.1 + signal * 0.001) + ((second * 7 + signal) % 5) * 0.01, start + second * 1000]);
  return samples;
}

let service: ForecastService | undefined;
let ticking = false;

afterEach(() => {
  service?.stop();
  service = undefined;
  ticking = false;
});

describe('ForecastService', () => {
  it('evaluates the plant a slice at a time, with the loop free between slices, and sends what one pass at once gives', async () => {
    const count = 40;
    const plant = plantOf(count);
    // The loop's other work, stood for by a task that queues itself again each turn.
    let turns = 0;
    ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    let turnsAtStart = -1;
    const received: Array<{ snapshot: ForecastSnapshot; turnsDuring: number }> = [];
    const logs: string[] = [];
    service = new ForecastService({
      plant,
      intervalMs: 20,
      sliceMs: 0,
      // A pass reads the clock once, when it starts.
      clock: () => {
        turnsAtStart = turns;
        return now;
      },
      log: (line) => logs.push(line),
    });
    const samples = rampSamples(count);
    for (const [signal, value, time] of samples) service.onSample(signal, value, time);
    service.subscribe((snapshot) => received.push({ snapshot, turnsDuring: turns - turnsAtStart }));
    await until(() => received.length >= 2, 'two passes');

    const atOnce = new PlantForecaster(plant);
    for (const [signal, value, time] of samples) atOnce.add(signal, value, time);
    const expected = atOnce.evaluate(now);
    expect(expected.forecasts).toHaveLength(count);
    for (const { snapshot, turnsDuring } of received.slice(0, 2)) {
      expect(JSON.stringify(snapshot)).toBe(JSON.stringify(expected));
      // One signal a slice: the loop turned between (nearly) every two of the 40.
      expect(turnsDuring).toBeGreaterThanOrEqual(count - 2);
    }
    expect(logs).toEqual([]);
  });
});
