import { bridgeGlobalName, type TwinlineBridge } from '../../src-main/common/bridge.ts';

/** The Electron preload's bridge when running in the desktop app; undefined in a browser (`twinline serve`). */
export function electronBridge(): TwinlineBridge | undefined {
  return (globalThis as unknown as Record<string, TwinlineBridge | undefined>)[bridgeGlobalName];
}
