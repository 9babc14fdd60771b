#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PlantFileError } from '../common/parse-plant.ts';
import { parseBrokerArguments, startHost } from './twinline-host.ts';
import { startViewServer } from './view-server.ts';

const usage = `Usage: twinline serve [options]

Serves the Twinline view to a browser. With no options: the demo plant, on an embedded
broker, with simulated telemetry.

Options:
  --plant FILE       plant file (YAML) to show
  --broker URL       MQTT broker of the plant, e.g. mqtt://10.0.0.5:1883
  --broker ID=URL    URL of the plant file's broker ID (repeat for several brokers);
                     brokers left without a URL get an embedded broker (the demo)
  --simulate         also publish simulated telemetry for the plant to the broker
  --host ADDRESS     address to listen on (default 127.0.0.1; other addresses expose the plant)
  --port N           port to listen on (default 5170; 0 picks a free one)
  -h, --help         this text
`;

const rendererDirectory = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      plant: { type: 'string' },
      broker: { type: 'string', multiple: true },
      simulate: { type: 'boolean' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '5170' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(usage);
    return;
  }
  if (!existsSync(rendererDirectory)) throw new Error(`The view is not built (${rendererDirectory} is missing): run "npm run build" first.`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  const log = (line: string) => console.log(line);
  const host = await startHost({ plantFile: values.plant, brokerUrls: parseBrokerArguments(values.broker ?? []), simulate: values.simulate, log });
  const server = await startViewServer({ source: host.source, rendererDirectory, modelsDirectory: host.modelsDirectory, host: values.host, port });
  if (values.host !== '127.0.0.1' && values.host !== 'localhost' && values.host !== '::1') {
    console.warn(`Warning: listening on ${values.host}: anyone who can reach this address can watch the plant.`);
  }
  console.log(`Twinline is serving ${host.source.describePlant().plant.name} at ${server.url}`);
  const shutdown = async () => {
    await server.close();
    await host.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'serve') return serve(rest);
  if (command === undefined || command === '-h' || command === '--help') {
    process.stdout.write(usage);
    return;
  }
  throw new Error(`Unknown command "${command}".\n\n${usage}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof PlantFileError || error instanceof Error ? error.message : String(error));
  process.exit(1);
});
