import type { MessagePortMain, ParentPort } from 'electron';
import type { ReplayProcessChannel } from '../node/replay/replay-process-client.ts';
import type { FromReplayProcess, ToReplayProcess } from '../node/replay/replay-protocol.ts';
import type { YieldLevel } from '../node/thread-priority.ts';
import { hostProcessMessages, type HostProcessReport } from './host-process-messages.ts';

/** Requests for a replay process made by this host, so that a port sent for an earlier one is not taken for a later. */
let requests = 0;

/** Longest the host waits for the shell to link a replay process it asked for. */
const portWaitMs = 30_000;
/** Most messages kept for the replay process while its port is on the way (a few views' first requests). */
const maxWaitingMessages = 1000;

/**
 * The host utility process's channel to its replay process, which only the shell can start: asks the
 * shell for one at a yield level and talks over the port it sends back. Messages sent before the port
 * arrives wait for it, within bounds; no port in time, or a port that closes (the replay process died,
 * or the host ended it), is the process gone, and the next replay asks again.
 */
export function replayChannelThroughShell(parent: Pick<ParentPort, 'postMessage' | 'on' | 'off'>, report: (line: string) => void, level: YieldLevel = 'idle'): ReplayProcessChannel {
  const request = ++requests;
  const waiting: ToReplayProcess[] = [];
  const messageListeners: Array<(message: FromReplayProcess) => void> = [];
  const goneListeners: Array<(reason: string) => void> = [];
  let port: MessagePortMain | undefined;
  let goneReason: string | undefined;
  let pid: number | undefined;

  const guard = (run: () => void, what: string) => {
    try {
      run();
    } catch (error) {
      report(`Twinline: handling ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  };
  const gone = (reason: string) => {
    if (goneReason !== undefined) return;
    goneReason = reason;
    clearTimeout(timer);
    // Still listening: a port the shell sends late for this request is closed when it comes.
    waiting.length = 0;
    port?.close();
    for (const listener of goneListeners) guard(() => listener(reason), 'the replay process going');
  };
  function onParentMessage(event: Electron.MessageEvent): void {
    const data = event.data as { type?: unknown; request?: unknown; pid?: unknown } | undefined;
    if (data?.type !== hostProcessMessages.replayPort || data.request !== request) return;
    const sent = event.ports[0];
    if (!sent) return;
    // The shell answers each request once.
    parent.off('message', onParentMessage);
    // Given up on meanwhile: closing the port ends the replay process at its other end.
    if (goneReason !== undefined) return sent.close();
    clearTimeout(timer);
    if (Number.isSafeInteger(data.pid) && (data.pid as number) > 0) pid = data.pid as number;
    port = sent;
    port.on('message', (event) => {
      for (const listener of messageListeners) guard(() => listener(event.data as FromReplayProcess), 'a message from the replay process');
    });
    port.on('close', () => gone('its link to the host closed'));
    port.start();
    for (const message of waiting.splice(0)) port.postMessage(message);
  }

  const timer = setTimeout(() => gone(`the shell did not start it within ${portWaitMs / 1000} s`), portWaitMs);
  parent.on('message', onParentMessage);
  parent.postMessage({ type: hostProcessMessages.startReplayProcess, request, level } satisfies HostProcessReport);

  return {
    send: (message) => {
      if (goneReason !== undefined) return;
      if (port) port.postMessage(message);
      // While it starts, only the latest word on live matters.
      else if (message.type === 'live' && waiting.at(-1)?.type === 'live') waiting[waiting.length - 1] = message;
      else if (waiting.length < maxWaitingMessages) waiting.push(message);
      else gone(`more than ${maxWaitingMessages} messages waited for it to start`);
    },
    onMessage: (listener) => messageListeners.push(listener),
    onGone: (listener) => {
      if (goneReason !== undefined) guard(() => listener(goneReason!), 'the replay process going');
      else goneListeners.push(listener);
    },
    pid: () => pid,
    // Closing its end of the port ends the replay process, which exits when its link to the host closes.
    stop: () => gone('the host ended it'),
  };
}
