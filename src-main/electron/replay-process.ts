// Entry of the Electron utility process the shell starts for the host's replay (a utility process
// cannot start another): the views' replay threads run here at the lowest CPU priority, reached by
// the host through the port the shell sends, so that all of replay's work yields to live ingest.
import { installFatalErrorHandlers } from '../node/fatal-errors.ts';
import type { ToReplayProcess } from '../node/replay/replay-protocol.ts';
import { serveReplayThreads } from '../node/replay/serve-replay-threads.ts';
import { lowerThisProcessPriority, setThisProcessIdleClass } from '../node/thread-priority.ts';
import { IdleWhileLiveBehind } from '../node/replay/idle-while-live-behind.ts';
import { hostProcessMessages } from './host-process-messages.ts';

const log = (line: string) => console.error(`Twinline replay process: ${line}`);
installFatalErrorHandlers(log);
const lowered = lowerThisProcessPriority();
if ('reason' in lowered) log(`its CPU priority could not be lowered (${lowered.reason}), so replay competes with live ingest as an equal`);
// While the host's loop is behind, replay leaves it the cores entirely.
const idleWhileBehind = new IdleWhileLiveBehind(setThisProcessIdleClass, log);

process.parentPort.once('message', (event) => {
  const port = event.ports[0];
  if ((event.data as { type?: unknown } | undefined)?.type !== hostProcessMessages.replayPort || !port) {
    log('the shell sent no port to the host; nothing to replay for');
    process.exit(1);
  }
  // The host has gone (stopped, restarted or killed): its next replay process is a new one.
  port.on('close', () => process.exit(0));
  serveReplayThreads({ send: (message) => port.postMessage(message), onMessage: (listener) => port.on('message', (message) => listener(message.data as ToReplayProcess)) }, log, (behind) => idleWhileBehind.live(behind));
  port.start();
});
