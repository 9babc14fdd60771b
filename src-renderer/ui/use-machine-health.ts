import { useEffect, useState } from 'react';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';

/**
 * `previous` when it holds the same health codes as `current`, else a copy of `current`: a snapshot
 * whose identity changes only when some machine's health did.
 */
export function healthSnapshot(previous: Uint8Array, current: Uint8Array): Uint8Array {
  if (previous.length === current.length) {
    let index = 0;
    while (index < current.length && previous[index] === current[index]) index++;
    if (index === current.length) return previous;
  }
  return current.slice();
}

/**
 * Every machine's health code, looked at every `intervalMs` and re-rendering the caller only when one
 * changed: a list of thousands of machines is not rebuilt twice a second while nothing it shows moves.
 */
export function useMachineHealth(buffer: FrameBuffer, intervalMs: number): Uint8Array {
  const [health, setHealth] = useState<Uint8Array>(() => buffer.getState().machineHealth.slice());
  useEffect(() => {
    const timer = setInterval(() => {
      try {
        setHealth((previous) => healthSnapshot(previous, buffer.getState().machineHealth));
      } catch (error) {
        console.error(`Twinline: reading the machines' health for the list failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }, intervalMs);
    return () => clearInterval(timer);
  }, [buffer, intervalMs]);
  return health;
}
