import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';

/** An Aedes broker on loopback that lets in only the users a test allows, and says who got in. */
export interface AuthenticatingBroker {
  port: number;
  /** `mqtt://127.0.0.1:port`, without credentials. */
  url: string;
  /** The user names let in, in order, once per connection. */
  authenticated: string[];
  /** Clients connected now. */
  connectedClients(): number;
  /** Stops the broker and its listener. */
  close(): Promise<void>;
}

/** Starts a broker that accepts a connection only when `allows(user, password)` says so: a host getting in proves its credentials reached the broker. */
export async function startAuthenticatingBroker(allows: (user: string | undefined, password: string | undefined) => boolean): Promise<AuthenticatingBroker> {
  const authenticated: string[] = [];
  const broker = await Aedes.createBroker({
    authenticate: (_client, user, password, done) => {
      const ok = allows(user, password?.toString('utf8'));
      if (ok) authenticated.push(String(user));
      done(null, ok);
    },
  });
  const server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    authenticated,
    connectedClients: () => broker.connectedClients,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
