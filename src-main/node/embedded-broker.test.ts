import { connect, type Socket } from 'node:net';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from './embedded-broker.ts';

/** Opens a TCP connection to the broker that never sends CONNECT, as a client caught mid-handshake. */
async function silentConnection(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { socket, closed };
}

describe('an embedded broker', () => {
  it('closes while a connection has not yet sent CONNECT, cutting it, and while a client is connected', { timeout: 20_000 }, async () => {
    const broker = await startEmbeddedBroker();
    const silent = await silentConnection(broker.port);
    const client = mqtt.connect(broker.url, { reconnectPeriod: 0 });
    await new Promise((resolve, reject) => client.once('connect', resolve).once('error', reject));
    const clientClosed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await broker.close();
    await silent.closed;
    await clientClosed;
    expect(silent.socket.destroyed).toBe(true);
    client.end(true);
  });

  it('interrupted with such a connection open, listens again on its port when resumed', { timeout: 20_000 }, async () => {
    const broker = await startEmbeddedBroker();
    const silent = await silentConnection(broker.port);
    await broker.interrupt();
    await silent.closed;
    await broker.resume();
    const client = mqtt.connect(broker.url, { reconnectPeriod: 0 });
    await new Promise((resolve, reject) => client.once('connect', resolve).once('error', reject));
    client.end(true);
    await broker.close();
  });
});
