import type { Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type ListenOptions, type Server as NetServer, type Socket } from 'node:net';

/**
 * Whether this Node.js can put several listening sockets on one port (`reusePort`: 22.12 and 23.1 onwards, on
 * Linux and the BSDs). Node 20 ignores the option, so a second socket on the port would fail with EADDRINUSE.
 */
export function reusePortSupported(version = process.versions.node, platform = process.platform): boolean {
  if (platform !== 'linux' && platform !== 'freebsd') return false;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

/** Sockets when PULJE_LISTEN_SOCKETS is not set: four where the runtime allows several (see the README's figures). */
export const DEFAULT_LISTEN_SOCKETS = 4;

export interface Listening {
  address: AddressInfo;
  /** Connections each listening socket has accepted (the server's own first), for GET /metrics. */
  accepted(): number[];
  /**
   * Stops the extra sockets accepting (the server's own stops with `server.close`); resolves once the connections
   * they accepted have ended. Node counts a connection against the socket that accepted it, so the server's close
   * does not wait for these.
   */
  stopAccepting(): Promise<void>;
}

/**
 * Listens on `port` with `sockets` listening sockets. libuv accepts one new connection per socket per turn of
 * the event loop (libuv#3696), and under load a turn runs every request admitted in it, so a burst of new
 * connections waits in the kernel's queue for one turn each. With several sockets on the port (SO_REUSEPORT)
 * the kernel spreads new connections over them and each accepts one per turn: the extra ones hand their
 * connections to the same HTTP server, which tracks, times out and closes them like its own.
 */
export async function listen(
  server: Server,
  port: number,
  host: string,
  sockets: number,
  /** A listening socket failed after it started (accept() out of file descriptors): logged, never a crash. */
  onError: (error: Error) => void,
): Promise<Listening> {
  // `reusePort` is not in Node 20's types; only passed where it is supported (see reusePortSupported).
  const options = (p: number): ListenOptions => ({ port: p, host, ...(sockets > 1 ? { reusePort: true } : {}) });
  const counts = new Array<number>(sockets).fill(0);
  const handedOver = new WeakSet<Socket>();
  server.on('connection', (socket: Socket) => {
    if (!handedOver.has(socket)) counts[0]!++;
  });
  const bind = (target: NetServer, opts: ListenOptions) =>
    new Promise<void>((resolve, reject) => {
      target.once('error', reject);
      target.listen(opts, () => {
        target.off('error', reject);
        resolve();
      });
    });
  // Sockets with SO_REUSEPORT share the port with any other such socket of the same user: a second Pulje on the
  // port would be let in silently. So the port is first taken alone, which fails with EADDRINUSE as a single
  // socket would (and finds a free port when 0 is asked), then let go and taken with all the sockets.
  let at = port;
  if (sockets > 1) {
    const probe = createNetServer();
    await bind(probe, { port, host });
    at = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  }
  await bind(server, options(at));
  server.on('error', onError);
  const address = server.address() as AddressInfo;
  const extras: NetServer[] = [];
  try {
    for (let i = 1; i < sockets; i++) {
      // As http.createServer's own listener: half-open allowed (the HTTP parser ends the socket itself), no Nagle
      // delay on answers.
      const extra = createNetServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
        counts[i]!++;
        handedOver.add(socket);
        server.emit('connection', socket);
      });
      extras.push(extra);
      await bind(extra, options(address.port));
      extra.on('error', onError);
    }
  } catch (error) {
    for (const extra of extras) if (extra.listening) extra.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  const closed = extras.map((extra) => new Promise<void>((resolve) => extra.once('close', () => resolve())));
  const stopAccepting = async () => {
    for (const extra of extras) if (extra.listening) extra.close();
    await Promise.all(closed);
  };
  // A closed server stops every socket on its port from accepting.
  server.once('close', () => void stopAccepting());
  return { address, accepted: () => [...counts], stopAccepting };
}
