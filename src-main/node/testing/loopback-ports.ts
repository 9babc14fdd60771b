import { connect, createServer } from 'node:net';

/** Ports on 127.0.0.1 for tests and benchmarks: one nothing listens on yet, and whether one takes connections. */

/** A loopback port that was free a moment ago: the system's pick, so runs side by side do not collide. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** Whether something accepts a TCP connection on loopback `port` now: how a started broker is seen to be up. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    // Refused (nothing listens yet) is the answer asked for, not a failure.
    socket.once('error', () => resolve(false));
  });
}
