import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';

/** An MQTT broker running inside this process, for the demo and for tests. */
export interface EmbeddedBroker {
  /** `mqtt://127.0.0.1:PORT` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts an Aedes broker on loopback; port 0 picks a free one. */
export async function startEmbeddedBroker(options: { port?: number; host?: string } = {}): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `mqtt://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()));
      }),
  };
}
