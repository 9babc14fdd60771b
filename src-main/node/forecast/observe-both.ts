import type { LiveObserver } from '../live-source.ts';

/** One live observer that tells two: the recorder and the forecasts hear every sample in the same order. */
export function observeBoth(first: LiveObserver | undefined, second: Pick<LiveObserver, 'onSample'>): LiveObserver {
  return {
    onSample: (signalIndex, value, time) => {
      first?.onSample(signalIndex, value, time);
      second.onSample(signalIndex, value, time);
    },
    onConnection: (brokerIndex, connected, time) => first?.onConnection(brokerIndex, connected, time),
    onMachineHealth: (machineIndex, health, time) => first?.onMachineHealth(machineIndex, health, time),
    onMetadata: (metadata, time) => first?.onMetadata?.(metadata, time),
  };
}
