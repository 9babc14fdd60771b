// Entry of the Electron utility process that runs the host, so MQTT ingest never blocks a window.
import type { MessagePortMain } from 'electron';
import type { MessageEndpoint } from '../common/contract.ts';
import { serveView } from '../common/view-session.ts';
import { parseBrokerArguments, startHost } from '../node/twinline-host.ts';
import { hostProcessMessages, type HostProcessRequest } from './host-process-messages.ts';

/** The contract's endpoint over an Electron MessagePortMain (structured clone, no JSON). */
function messagePortEndpoint(port: MessagePortMain): MessageEndpoint {
  return {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => {
      const handler = (event: Electron.MessageEvent) => listener(event.data);
      port.on('message', handler);
      return () => port.off('message', handler);
    },
    onClose: (listener) => {
      port.on('close', listener);
      return () => port.off('close', listener);
    },
    close: () => port.close(),
  };
}

/** Every value given for an option, e.g. all `--broker` values. */
function argumentValues(name: string): string[] {
  return process.argv.flatMap((value, index) => (process.argv[index - 1] === name ? [value] : []));
}

async function main(): Promise<void> {
  const recordings = argumentValues('--out')[0];
  const host = await startHost({
    plantFile: argumentValues('--plant')[0],
    brokerUrls: parseBrokerArguments(argumentValues('--broker')),
    recording: recordings ? { directory: recordings } : null,
    log: (line) => console.log(line),
  });
  process.parentPort.on('message', (event) => {
    const request = event.data as HostProcessRequest | undefined;
    const port = event.ports[0];
    if (request?.type !== hostProcessMessages.connectView || !port) return;
    serveView(messagePortEndpoint(port), host.createViewSource());
    port.start();
  });
  process.parentPort.postMessage({ type: hostProcessMessages.ready, modelsDirectory: host.modelsDirectory, plantName: host.source.describePlant().plant.name });
}

main().catch((error: unknown) => {
  process.parentPort.postMessage({ type: hostProcessMessages.failed, message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
