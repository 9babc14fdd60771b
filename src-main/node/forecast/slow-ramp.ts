import type { Plant } from '../../common/plant-schema.ts';

/** One cycle of the demo's slow ramp, in seconds: a rest, an 8-minute climb past the alarm limit, a hold and the way back. */
const rest = 60;
const climb = 480;
const hold = 60;
const back = 60;
/** Length of one cycle of the slow ramp (seconds). */
export const slowRampCycleSeconds = rest + climb + hold + back;

/**
 * The signal the demo ramps slowly toward its alarm limit, so the look ahead shows a machine predicted
 * minutes before its alarm: the first signal on the first broker with a high warning and a high alarm
 * limit and a topic of its own. None when the plant has no such signal.
 */
export function slowRampSignal(plant: Plant): { machineIndex: number; signalIndex: number } | undefined {
  const firstBroker = plant.brokers[0]?.id;
  for (const [machineIndex, machine] of plant.machines.entries()) {
    const signalIndex = machine.signals.findIndex(
      (signal) => signal.topic !== undefined && (signal.broker ?? firstBroker) === firstBroker && signal.limits?.highWarn !== undefined && signal.limits.highAlarm !== undefined,
    );
    if (signalIndex >= 0) return { machineIndex, signalIndex };
  }
  return undefined;
}

/** How far along its way to the alarm target the slow ramp is, `seconds` after the simulator started: 0 at rest, 1 at the top. */
export function slowRampWeight(seconds: number): number {
  const phase = ((seconds % slowRampCycleSeconds) + slowRampCycleSeconds) % slowRampCycleSeconds;
  if (phase < rest) return 0;
  if (phase < rest + climb) return (phase - rest) / climb;
  if (phase < rest + climb + hold) return 1;
  return 1 - (phase - rest - climb - hold) / back;
}
