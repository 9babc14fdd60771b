// Entry of the replay process a host with live ingest starts (`replay-process-client.ts`): its views'
// replay threads run here, at the lowest CPU priority, so that every thread of replay's work (the
// garbage collector's helpers and the I/O pool included) yields the CPU to ingest.
import { installFatalErrorHandlers } from '../fatal-errors.ts';
import { lowerThisProcessPriority, setThisProcessIdleClass } from '../thread-priority.ts';
import { IdleWhileLiveBehind } from './idle-while-live-behind.ts';
import type { FromReplayProcess, ToReplayProcess } from './replay-protocol.ts';
import { serveReplayThreads } from './serve-replay-threads.ts';

const log = (line: string) => console.error(`Twinline replay process: ${line}`);
installFatalErrorHandlers(log);
const send = process.send?.bind(process);
if (!send) throw new Error('the replay process runs as a child of a Twinline host, with a channel to it');
const lowered = lowerThisProcessPriority();
if ('reason' in lowered) log(`its CPU priority could not be lowered (${lowered.reason}), so replay competes with live ingest as an equal`);
// While the host's loop is behind, replay leaves it the cores entirely.
const idleWhileBehind = new IdleWhileLiveBehind(setThisProcessIdleClass, log);
// The host has gone (stopped, or killed): nothing is left to replay for.
process.on('disconnect', () => process.exit(0));
serveReplayThreads(
  {
    send: (message: FromReplayProcess) => {
      send(message, undefined, undefined, (error: Error | null) => {
        if (error) log(`a message to the host was lost: ${error.message}`);
      });
    },
    onMessage: (listener) => process.on('message', (message) => listener(message as ToReplayProcess)),
  },
  log,
  (behind) => idleWhileBehind.live(behind),
);
