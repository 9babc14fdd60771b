// Entry of the Electron utility process the shell starts for the host's replay (a utility process
// cannot start another): the views' replay threads run here, reached by the host through the port the
// shell sends, at the lowest CPU priority (on Linux in the idle class), as `node/replay/replay-process.ts`
// describes.
import { installFatalErrorHandlers } from '../node/fatal-errors.ts';
import type { ToReplayProcess } from '../node/replay/replay-protocol.ts';
import { serveReplayThreads } from '../node/replay/serve-replay-threads.ts';
import { yieldToLive } from '../node/replay/replay-launcher-client.ts';
import { yieldLevelFromArguments } from '../node/replay/replay-process-arguments.ts';
import { hostProcessMessages } from './host-process-messages.ts';

const log = (line: string) => console.error(`Twinline replay process: ${line}`);
installFatalErrorHandlers(log);
// Its helper threads yield at once, and this one once the launcher of replay threads has started,
// at the level the host asked the shell for.
const level = yieldLevelFromArguments(process.argv);
const startThread = yieldToLive(log, level);

process.parentPort.once('message', (event) => {
  const port = event.ports[0];
  if ((event.data as { type?: unknown } | undefined)?.type !== hostProcessMessages.replayPort || !port) {
    log('the shell sent no port to the host; nothing to replay for');
    process.exit(1);
  }
  // The host has gone (stopped, restarted or killed): its next replay process is a new one.
  port.on('close', () => process.exit(0));
  serveReplayThreads({ send: (message) => port.postMessage(message), onMessage: (listener) => port.on('message', (message) => listener(message.data as ToReplayProcess)) }, log, startThread, level);
  port.start();
});
