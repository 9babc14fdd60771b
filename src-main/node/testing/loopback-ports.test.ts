import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { acceptsConnections, freePort } from './loopback-ports.ts';

describe('loopback ports', () => {
  it('gives a port nothing listens on, which accepts connections once a server listens there and not after it closed', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(await acceptsConnections(port)).toBe(false);
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      expect(await acceptsConnections(port)).toBe(true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(await acceptsConnections(port)).toBe(false);
  });
});
