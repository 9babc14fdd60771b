import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';

/** An MQTT broker running inside this process, for the demo and for tests. */
export interface EmbeddedBroker {
  /** `mqtt://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Drops every client and stops listening, as a broker that dies does. */
  interrupt(): Promise<void>;
  /** Listens again on the same port, as a restarted broker does. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

interface Running {
  broker: Aedes;
  server: Server;
}

async function listen(host: string, port: number): Promise<Running> {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { broker, server };
}

function shut({ broker, server }: Running): Promise<void> {
  return new Promise((resolve) => broker.close(() => server.close(() => resolve())));
}

/** Starts an Aedes broker on loopback; port 0 picks a free one. */
export async function startEmbeddedBroker(options: { port?: number; host?: string } = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  let running: Running | undefined = await listen(host, options.port ?? 0);
  const port = (running.server.address() as AddressInfo).port;
  const stop = async () => {
    const current = running;
    running = undefined;
    if (current) await shut(current);
  };
  return {
    url: `mqtt://${host}:${port}`,
    port,
    interrupt: stop,
    resume: async () => {
      running ??= await listen(host, port);
    },
    close: stop,
  };
}
