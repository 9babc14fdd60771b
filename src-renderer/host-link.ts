import { create } from 'zustand';
import type { HostNotice } from '../src-main/common/bridge.ts';
import type { HostClient } from '../src-main/common/host-client.ts';
import { formatAge, formatMoment, type Clock } from './ui/format.ts';

let client: HostClient | undefined;

/** Remembers the current link to the host (it changes when the view reconnects). */
export function setHostClient(next: HostClient | undefined): void {
  client = next;
}

/** The current link to the host, for widgets that send commands. */
export function currentHost(): HostClient | undefined {
  return client;
}

/** The last thing the desktop shell said about the host, as the status bar shows it. */
export interface ShownHostNotice {
  notice: HostNotice;
  /** When the view was told (ms since the epoch). */
  at: number;
  /** The view has linked to the restarted host since. */
  reconnected: boolean;
}

/** What the view says about its host's last unexpected stop; it stays until dismissed, so someone back at the screen learns of it. */
export const useHostNotice = create<{ shown: ShownHostNotice | undefined }>(() => ({ shown: undefined }));

/** Shows what the shell said about the host. */
export function showHostNotice(notice: HostNotice, at = Date.now()): void {
  useHostNotice.setState({ shown: { notice, at, reconnected: false } });
}

/** The view is linked to the host again: a restart notice says so. */
export function markHostReconnected(): void {
  const { shown } = useHostNotice.getState();
  if (shown && !shown.reconnected) useHostNotice.setState({ shown: { ...shown, reconnected: true } });
}

/** The user has read the notice. */
export function dismissHostNotice(): void {
  useHostNotice.setState({ shown: undefined });
}

/** The notice in words, its time on `clock`, e.g. "The host stopped unexpectedly (exit code 70) at … and was restarted; reconnected." */
export function describeHostNotice({ notice, at, reconnected }: ShownHostNotice, clock: Clock): string {
  if (notice.type === 'hostFailed') {
    // The first line names the problem; the shell's dialog lists every detail.
    const problem = notice.message.split('\n')[0]!.replace(/[:.]\s*$/, '');
    return `The host could not start (${problem}). Open a recording or choose Watch Live to try again.`;
  }
  const how = notice.signal ? `signal ${notice.signal}` : notice.code === null ? 'no exit code' : `exit code ${notice.code}`;
  const repeated = notice.crashesInARow > 1 ? `, ${notice.crashesInARow} times in a row` : '';
  const stopped = `The host stopped unexpectedly (${how}${repeated}) at ${formatMoment(at, clock)}`;
  return reconnected ? `${stopped} and was restarted; reconnected.` : `${stopped}; restarting it in ${formatAge(notice.restartInMs)}…`;
}
