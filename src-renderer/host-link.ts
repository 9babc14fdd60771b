import type { HostClient } from '../src-main/common/host-client.ts';

let client: HostClient | undefined;

/** Remembers the current link to the host (it changes when the view reconnects). */
export function setHostClient(next: HostClient | undefined): void {
  client = next;
}

/** The current link to the host, for widgets that send commands. */
export function currentHost(): HostClient | undefined {
  return client;
}
