import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
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
  /** Every connection open now, MQTT client or not, to cut when the broker stops. */
  sockets: Set<Socket>;
}

/** How long Aedes may take to close its clients before the connections left are cut. */
const closeClientsLimitMs = 2000;

async function listen(host: string, port: number): Promise<Running> {
  const broker = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { broker, server, sockets };
}

/**
 * Stops taking connections, lets Aedes close its clients, then cuts every connection left. Aedes
 * closes only clients that have sent CONNECT, and a server closes once its last connection has: one
 * opened and not yet past CONNECT (a client reconnecting just then) kept the broker, and with it the
 * host's stop, waiting for ever.
 */
function shut({ broker, server, sockets }: Running): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Run by the limit or by Aedes, whichever comes first; destroying a socket twice does nothing.
    const cutConnections = () => {
      clearTimeout(limit);
      for (const socket of sockets) socket.destroy();
    };
    const limit = setTimeout(cutConnections, closeClientsLimitMs);
    broker.close(cutConnections);
  });
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
