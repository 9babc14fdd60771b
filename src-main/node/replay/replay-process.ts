// Entry of the replay process a host with live ingest starts (`replay-process-client.ts`): its views'
// replay threads run here, so that replay's work, the garbage collector's helpers included, runs at the
// lowest CPU priority and on Linux in the idle class, and a crash here ends only replay. A launcher
// thread keeps normal priority, so the replay threads it starts load their code at normal speed.
import { installFatalErrorHandlers } from '../fatal-errors.ts';
import { yieldToLive } from './replay-launcher-client.ts';
import type { FromReplayProcess, ToReplayProcess } from './replay-protocol.ts';
import { yieldLevelFromArguments } from './replay-process-arguments.ts';
import { serveReplayThreads } from './serve-replay-threads.ts';

const log = (line: string) => console.error(`Twinline replay process: ${line}`);
installFatalErrorHandlers(log);
const send = process.send?.bind(process);
if (!send) throw new Error('the replay process runs as a child of a Twinline host, with a channel to it');
// Its helper threads yield at once, and this one once the launcher of replay threads has started;
// in the idle class unless the host started it higher, after the idle class left replay no CPU at all.
const level = yieldLevelFromArguments(process.argv);
const startThread = yieldToLive(log, level);
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
  startThread,
  level,
);
