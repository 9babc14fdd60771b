import { describe, expect, it } from 'vitest';
import { PlantForecaster } from '../../common/forecast/plant-forecaster.ts';
import { signalOrder } from '../../common/signal-order.ts';
import { demoPlantFile, loadPlantFile } from '../load-plant-file.ts';
import { PlantSimulator } from '../plant-simulator.ts';
import { slowRampSignal, slowRampWeight } from './slow-ramp.ts';

describe("the demo's slow ramp", () => {
  it('climbs, holds and comes back in one cycle', () => {
    expect(slowRampWeight(30)).toBe(0);
    expect(slowRampWeight(60 + 240)).toBeCloseTo(0.5);
    expect(slowRampWeight(60 + 480 + 30)).toBe(1);
    expect(slowRampWeight(60 + 480 + 60 + 30)).toBeCloseTo(0.5);
    expect(slowRampWeight(660 + 30)).toBe(0);
  });

  it('marks its machine predicted with the default window and horizon minutes before the signal reaches its warning limit', () => {
    const plant = loadPlantFile(demoPlantFile, { secrets: { environment: {} } }).plant;
    const ramp = slowRampSignal(plant)!;
    expect(plant.machines[ramp.machineIndex]!.id).toBe('eaf-1');
    const simulator = new PlantSimulator(plant);
    const signal = signalOrder(plant).machineSignals[ramp.machineIndex]![ramp.signalIndex]!;
    const limits = plant.machines[ramp.machineIndex]!.signals[ramp.signalIndex]!.limits!;
    const forecaster = new PlantForecaster(plant);
    // The simulator's clock starts when it is made: read its values at its own times, two a second as the demo publishes.
    const start = Date.now();
    let predictedAt: number | undefined;
    let warningAt: number | undefined;
    for (let t = 0; t < 600 && warningAt === undefined; t += 0.5) {
      const time = start + t * 1000;
      const value = simulator.valueFor(ramp.machineIndex, ramp.signalIndex, time)!;
      forecaster.add(signal, value, time);
      if (value >= limits.highWarn!) warningAt = t;
      if (predictedAt === undefined && Number.isInteger(t) && forecaster.evaluate(time).forecasts.some((forecast) => forecast.signal === signal && forecast.predicted)) predictedAt = t;
    }
    expect(predictedAt, 'a forecast within the horizon').toBeDefined();
    expect(warningAt).toBeDefined();
    // Minutes ahead: well before the warning, let alone the alarm.
    expect(warningAt! - predictedAt!).toBeGreaterThan(120);
  });
});
