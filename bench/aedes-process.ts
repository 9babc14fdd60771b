/**
 * The ingest benchmark's fallback broker when mosquitto is not installed: the project's embedded
 * Aedes broker in a process of its own, so its work is not counted as the host's. Reports its port
 * over IPC and exits when the benchmark disconnects.
 */
import { startEmbeddedBroker } from '../src-main/node/embedded-broker.ts';

const broker = await startEmbeddedBroker({ port: 0 });
process.send?.({ type: 'listening', port: broker.port });
const stop = () => {
  broker.close().finally(() => process.exit(0));
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);
