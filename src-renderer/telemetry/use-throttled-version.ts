import { useEffect, useState } from 'react';
import type { FrameBuffer } from './frame-buffer.ts';

/**
 * Re-renders the calling component at most every `intervalMs` while telemetry changes, and at least
 * that often so ages keep counting. Widgets read the buffer with `getState()` when they render.
 */
export function useThrottledVersion(buffer: FrameBuffer, intervalMs: number): number {
  const [version, setVersion] = useState(() => buffer.getState().version);
  useEffect(() => {
    const timer = setInterval(() => setVersion(buffer.getState().version + performance.now()), intervalMs);
    return () => clearInterval(timer);
  }, [buffer, intervalMs]);
  return version;
}
