import { useEffect, useMemo } from 'react';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { Health } from '../../src-main/common/health.ts';
import { createFrameBuffer, type FrameBuffer, type FrameBufferState } from '../telemetry/frame-buffer.ts';
import { telemetryMapping, type TelemetryMapping } from './edit-description.ts';

/** Copies the running plant's telemetry into the edited plant's buffer, by the mapping; new signals and machines stay unknown. */
export function copyTelemetry(from: FrameBufferState, to: FrameBuffer, mapping: TelemetryMapping): void {
  const target = to.getState();
  const { signalFrom, machineFrom } = mapping;
  for (let index = 0; index < signalFrom.length; index++) {
    const source = signalFrom[index]!;
    if (source < 0 || source >= from.values.length) continue;
    target.values[index] = from.values[source]!;
    target.sampleTimes[index] = from.sampleTimes[source]!;
    target.signalHealth[index] = from.signalHealth[source]!;
  }
  for (let index = 0; index < machineFrom.length; index++) {
    const source = machineFrom[index]!;
    if (source >= 0 && source < from.machineHealth.length) target.machineHealth[index] = from.machineHealth[source]!;
  }
  to.setState({ version: target.version + 1, hostTime: from.hostTime, receivedAt: from.receivedAt, clockRate: from.clockRate });
}

/**
 * A frame buffer for the edited plant that follows the running plant's: each applied batch is copied
 * over (once per batch, never per message through React). Without an edited plant, the running buffer itself.
 */
export function useEditBuffer(running: PlantDescription, runningBuffer: FrameBuffer, edited: PlantDescription | undefined): FrameBuffer {
  const buffer = useMemo(() => (edited ? createFrameBuffer(edited.signalKeys.length, edited.plant.machines.length) : runningBuffer), [edited, runningBuffer]);
  useEffect(() => {
    if (!edited || buffer === runningBuffer) return;
    const mapping = telemetryMapping(edited, running);
    // Machines the running plant does not have yet are drawn as never heard from, not as healthy.
    buffer.getState().machineHealth.fill(Health.unknown);
    copyTelemetry(runningBuffer.getState(), buffer, mapping);
    return runningBuffer.subscribe((state) => copyTelemetry(state, buffer, mapping));
  }, [buffer, edited, running, runningBuffer]);
  return buffer;
}
