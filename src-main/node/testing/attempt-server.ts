import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP listener on loopback that plays a broker misbehaving at the socket level and records each
 * connection attempt, for tests of how the host reconnects: one that refuses, hangs, flaps, or
 * accepts and then sends what no MQTT parser can read.
 */

/** MQTT's CONNACK accepting a connection: what a flapping or garbling broker says first. */
export const connectionAccepted = Buffer.from([0x20, 0x02, 0x00, 0x00]);

/**
 * What the server does with each connection: `refuse` drops it at once, `hang` never answers CONNECT;
 * the others accept the CONNECT and then drop the connection after `flapAfterMs`, or send `after` 50 ms later.
 */
export type AttemptBehaviour = 'refuse' | 'hang' | { flapAfterMs: number } | { after: Buffer };

/** One connection attempt: when it arrived and, once it has, when it closed. */
export interface ConnectionAttempt {
  at: number;
  closedAt?: number;
}

/** A running attempt server. */
export interface AttemptServer {
  /** `mqtt://127.0.0.1:port`. */
  url: string;
  port: number;
  /** Every connection attempt so far, in arrival order. */
  attempts: ConnectionAttempt[];
  /** Sockets still open. */
  open: Set<Socket>;
  /** Destroys the open sockets and stops listening. */
  close(): Promise<void>;
}

/** Starts an attempt server on a free loopback port that treats every connection as `behaviour` says. */
export async function startAttemptServer(behaviour: AttemptBehaviour): Promise<AttemptServer> {
  const attempts: ConnectionAttempt[] = [];
  const open = new Set<Socket>();
  const server: Server = createServer((socket) => {
    const attempt: ConnectionAttempt = { at: Date.now() };
    attempts.push(attempt);
    open.add(socket);
    socket.on('close', () => {
      attempt.closedAt = Date.now();
      open.delete(socket);
    });
    // The client's reset after a forced end is expected; the attempt's close is what the tests read.
    socket.on('error', () => undefined);
    // Read what the client sends, so that its end of the connection is seen ('end' waits for the data to be read).
    socket.resume();
    if (behaviour === 'refuse') socket.destroy();
    if (typeof behaviour === 'object') {
      socket.once('data', () => {
        socket.write(connectionAccepted);
        if ('flapAfterMs' in behaviour) setTimeout(() => socket.destroy(), behaviour.flapAfterMs);
        else setTimeout(() => socket.write(behaviour.after), 50);
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    attempts,
    open,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
