// The real host in a child process, for process-supervisor.test.ts: a plant file's services with an
// embedded broker and the simulator, and views served over a WebSocket on a free port, whose URL is
// sent to the parent over IPC.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installFatalErrorHandlers } from './fatal-errors.ts';
import { startHost } from './twinline-host.ts';
import { startViewServer } from './view-server.ts';

installFatalErrorHandlers((line) => process.stderr.write(`${line}\n`));
const plantFile = process.argv[2];
if (!plantFile || !process.send) throw new Error('fork this script with IPC and a plant file');
const host = await startHost({ plantFile, recording: null });
// No page is requested in the test; a folder that does not exist answers every file with 404.
const server = await startViewServer({ createViewSource: host.createViewSource, rendererDirectory: join(tmpdir(), 'twinline-no-renderer'), modelsDirectory: host.modelsDirectory, port: 0 });
process.send({ type: 'listening', url: server.url });
