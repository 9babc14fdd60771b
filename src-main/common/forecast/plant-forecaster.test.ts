import { describe, expect, it, vi } from 'vitest';
import { parsePlantOrThrow } from '../parse-plant.ts';
import { seededRandom } from '../seeded-random.ts';
import { predictedMachines } from './forecast-record.ts';
import { PlantForecaster } from './plant-forecaster.ts';
import { TheilSen } from './theil-sen.ts';

/** A one-machine plant with one limited signal (and one without limits), with the given forecast settings. */
function plant(forecast = '{ horizon: 30 min, window: 10 min }'): ReturnType<typeof parsePlantOrThrow> {
  return parsePlantOrThrow(`
name: Forecast test
forecast: ${forecast}
machines:
  - id: press
    name: Press
    area: A
    line: L
    primitive: { shape: box }
    position: [0, 0, 0]
    signals:
      - { id: speed, topic: t/speed }
      - { id: temperature, topic: t/temperature, limits: { lowAlarm: 20, lowWarn: 30, highWarn: 80, highAlarm: 90 } }
      - { id: pressure, topic: t/pressure, limits: { highWarn: 80, highAlarm: 90 } }
`);
}

const start = 1_800_000_000_000;

/** Feeds `seconds` of one sample a second from `value(t)` (t in seconds from start) plus uniform noise of ± `noise`. */
function feed(forecaster: PlantForecaster, seconds: number, value: (t: number) => number, noise: number, seed = 1, signal = 1): number {
  const random = seededRandom(seed);
  for (let t = 0; t <= seconds; t++) forecaster.add(signal, value(t) + (random() - 0.5) * 2 * noise, start + t * 1000);
  return start + seconds * 1000;
}

describe('PlantForecaster', () => {
  it.each([
    { name: 'a slow rise with noise to the high warning', value: (t: number) => 50 + 0.01 * t, limit: 80, side: 'high', noise: 0.5 },
    { name: 'a steeper rise with heavy noise', value: (t: number) => 40 + 0.03 * t, limit: 80, side: 'high', noise: 2 },
    { name: 'a fall with noise to the low warning', value: (t: number) => 55 - 0.015 * t, limit: 30, side: 'low', noise: 1 },
  ])('predicts $name within 10 % of the true crossing time', ({ value, limit, side, noise }) => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const forecaster = new PlantForecaster(plant());
      const now = feed(forecaster, 900, value, noise, seed);
      const [forecast] = forecaster.evaluate(now).forecasts;
      // The true crossing: where the noiseless ramp meets the limit.
      let crossing = 0;
      while (side === 'high' ? value(crossing) < limit : value(crossing) > limit) crossing += 0.01;
      const trueLead = start + crossing * 1000 - now;
      expect(forecast, `seed ${seed}`).toBeDefined();
      expect(forecast!.side).toBe(side);
      expect(forecast!.limit).toBe('warning');
      expect(Math.abs(forecast!.at - now - trueLead) / trueLead, `seed ${seed}`).toBeLessThan(0.1);
      expect(forecast!.earliest).toBeLessThanOrEqual(forecast!.at);
      expect(forecast!.latest ?? Infinity).toBeGreaterThanOrEqual(forecast!.at);
    }
  });

  it('aims at the alarm limit once the trend is past the warning', () => {
    const forecaster = new PlantForecaster(plant());
    const now = feed(forecaster, 900, (t) => 75 + 0.01 * t, 0.5);
    const [forecast] = forecaster.evaluate(now).forecasts;
    expect(forecast).toMatchObject({ limit: 'alarm', limitValue: 90, warningAt: null, confidence: 'high' });
    const trueLead = 600_000;
    expect(Math.abs(forecast!.at - now - trueLead) / trueLead).toBeLessThan(0.1);
  });

  it.each([
    { name: 'flat', value: () => 55, noise: 0 },
    { name: 'noisy and flat', value: () => 55, noise: 10 },
    { name: 'noisy and wavy', value: (t: number) => 55 + 8 * Math.sin(t / 40), noise: 5 },
    { name: 'receding from its high limits', value: (t: number) => 75 - 0.02 * t, noise: 1, signal: 2 },
    { name: 'receding from its high limits after a peak', value: (t: number) => 78 - Math.max(0, t - 300) * 0.01, noise: 0.5, signal: 2 },
    { name: 'rising too slowly to matter within a day', value: (t: number) => 50 + 0.0001 * t, noise: 0.001 },
  ])('predicts nothing for a $name signal', ({ value, noise, signal }) => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const forecaster = new PlantForecaster(plant());
      const now = feed(forecaster, 900, value, noise, seed, signal);
      expect(forecaster.evaluate(now).forecasts, `seed ${seed}`).toEqual([]);
    }
  });

  it('predicts nothing from too few points, and nothing for signals without limits', () => {
    const forecaster = new PlantForecaster(plant());
    // 90 s of a 10 min window: 9 buckets of 9.375 s.
    const now = feed(forecaster, 90, (t) => 50 + 0.1 * t, 0);
    expect(forecaster.evaluate(now).forecasts).toEqual([]);
    for (let t = 0; t < 900; t++) forecaster.add(0, t, start + t * 1000);
    expect(forecaster.signalCount).toBe(2);
  });

  it('marks the machine predicted only while the crossing is within the horizon', () => {
    const near = new PlantForecaster(plant('{ horizon: 10 min, window: 10 min }'));
    const now = feed(near, 900, (t) => 50 + 0.01 * t, 0.5);
    // Warning at 3,000 s from the start: 35 min ahead.
    expect(near.evaluate(now).forecasts[0]!.predicted).toBe(false);
    const later = feed(near, 2700, (t) => 50 + 0.01 * t, 0.5);
    expect(near.evaluate(later).forecasts[0]!.predicted).toBe(true);
    expect(predictedMachines(near.evaluate(later))).toEqual([0]);
  });

  it('gives the same forecast fed sample by sample as fed only the window again, as replay does', () => {
    const live = new PlantForecaster(plant());
    const now = feed(live, 1800, (t) => 40 + 0.01 * t, 2);
    const replay = new PlantForecaster(plant());
    const random = seededRandom(1);
    for (let t = 0; t <= 1800; t++) {
      const value = 40 + 0.01 * t + (random() - 0.5) * 4;
      if (start + t * 1000 >= now - replay.longestWindowMs) replay.add(1, value, start + t * 1000);
    }
    expect(replay.evaluate(now)).toEqual(live.evaluate(now));
    expect(live.evaluate(now).forecasts).toHaveLength(1);
  });

  it('leaves out bad-quality and lost-source values, and forgets everything when cleared', () => {
    const forecaster = new PlantForecaster(plant());
    const now = feed(forecaster, 900, (t) => 50 + 0.01 * t, 0.5);
    forecaster.add(1, Number.NaN, now);
    forecaster.add(1, Number.POSITIVE_INFINITY, now);
    expect(forecaster.evaluate(now).forecasts).toHaveLength(1);
    forecaster.clear();
    expect(forecaster.evaluate(now).forecasts).toEqual([]);
  });

  it('fits a window once until it moves on or a late sample changes it, and forecasts what a forecaster fed everything at once does', () => {
    // A 64 s window: buckets of 1 s. Evaluated four times a second, as a slow host might, with samples
    // arriving between evaluations, a tenth of them late (up to 20 s, into buckets already fitted).
    const settings = '{ horizon: 30 min, window: 64 s }';
    const live = new PlantForecaster(plant(settings));
    const random = seededRandom(7);
    const added: Array<[number, number, number]> = [];
    const kendall = vi.spyOn(TheilSen.prototype, 'kendallZ');
    let evaluations = 0;
    let withForecast = 0;
    let lateSamples = 0;
    try {
      for (let step = 0; step < 1200; step++) {
        const now = start + step * 250;
        for (let sample = 0; sample < 3; sample++) {
          const late = random() < 0.1;
          if (late) lateSamples++;
          const time = now - (late ? random() * 20_000 : random() * 250);
          const value = 50 + 0.2 * ((time - start) / 1000) + (random() - 0.5) * 2;
          added.push([1, value, time]);
          live.add(1, value, time);
        }
        const seen = live.evaluate(now);
        evaluations++;
        if (step % 10 !== 0) continue;
        // One moment in ten, against a forecaster that never cached anything.
        const fresh = new PlantForecaster(plant(settings));
        for (const [signal, value, time] of added) fresh.add(signal, value, time);
        expect(JSON.stringify(seen), `at step ${step}`).toBe(JSON.stringify(fresh.evaluate(now)));
        if (seen.forecasts.length > 0) withForecast++;
      }
      // The live forecaster's own fits, not the fresh ones'. Its window's two ends move at different
      // moments of each second (on the boundary it holds 64 buckets, else 63): two fits a bucket, plus
      // a refit for a late sample. Fitting at every evaluation would be 1,200.
      const liveFits = kendall.mock.contexts.filter((context) => context === (live as unknown as { fitter: TheilSen }).fitter).length;
      expect(liveFits).toBeLessThanOrEqual(600 + lateSamples);
      expect(liveFits).toBeGreaterThan(500);
    } finally {
      kendall.mockRestore();
    }
    expect(evaluations).toBe(1200);
    expect(withForecast).toBeGreaterThan(60);
  });

  it('reads windows and horizons as the plant file writes them, the signal\'s own over the plant\'s', () => {
    const parsed = parsePlantOrThrow(`
name: Settings
forecast: { horizon: 2h, window: 90 }
machines:
  - id: m
    name: M
    area: A
    line: L
    primitive: { shape: box }
    position: [0, 0, 0]
    signals:
      - { id: a, topic: t/a, limits: { highWarn: 1 }, forecast: { window: 5 min } }
      - { id: b, topic: t/b, limits: { highWarn: 1 }, forecast: { enabled: false } }
`);
    expect(parsed.forecast).toEqual({ horizon: 7_200_000, window: 90_000 });
    expect(parsed.machines[0]!.signals[0]!.forecast).toEqual({ window: 300_000 });
    const forecaster = new PlantForecaster(parsed);
    expect(forecaster.signalCount).toBe(1);
    expect(forecaster.longestWindowMs).toBe(300_000 + Math.ceil(300_000 / 64));
    expect(() => parsePlantOrThrow('name: x\nforecast: { window: 1 s }\nmachines: []\n')).toThrow(/5 s to 24 h/);
    expect(() => parsePlantOrThrow('name: x\nforecast: { horizon: soon }\nmachines: []\n')).toThrow(/forecast.horizon/);
  });
});
