import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, reusePortSupported } from '../../adapters/web/listen.ts';
import type { WebServer } from '../../adapters/web/server.ts';
import { describeEachEngine } from '../support/databases.ts';
import { startTestServer } from './harness.ts';

const fail = (error: Error) => {
  throw error;
};

/** One request on a new connection, closed after the answer: what a burst of new phones does. */
function getOnNewConnection(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer.split('\r\n')[0]!));
    socket.on('error', reject);
  });
}

describe('several listening sockets on one port', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server?.listening) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  it('knows which Node.js can share a port between sockets (reusePort: 22.12, 23.1 and later, Linux)', () => {
    expect(['20.20.2', '22.11.0', '22.12.0', '23.0.0', '23.1.0', '24.21.0'].map((v) => reusePortSupported(v, 'linux'))).toEqual([
      false,
      false,
      true,
      false,
      true,
      true,
    ]);
    expect(reusePortSupported('24.21.0', 'darwin')).toBe(false);
  });

  it('spreads a burst of new connections over the sockets, all answered by the one HTTP server', async () => {
    server = createServer((_req, res) => res.end('ok'));
    const sockets = reusePortSupported() ? 4 : 1;
    const listening = await listen(server, 0, '127.0.0.1', sockets, fail);
    const answers = await Promise.all(Array.from({ length: 64 }, () => getOnNewConnection(listening.address.port)));
    expect(new Set(answers)).toEqual(new Set(['HTTP/1.1 200 OK']));
    const accepted = listening.accepted();
    expect(accepted).toHaveLength(sockets);
    expect(accepted.reduce((a, b) => a + b, 0)).toBe(64);
    // The kernel hashes each connection to a socket: with 64 of them all four get some (one left out: about 4 × (3/4)⁶⁴, 4·10⁻⁸).
    expect(accepted.every((n) => n > 0)).toBe(true);
    // Stopping stops all of them at once, the server's own with its close.
    await listening.stopAccepting();
    await new Promise((resolve) => server!.close(resolve));
    await expect(getOnNewConnection(listening.address.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('refuses a port another server holds, as one socket would, even though its sockets may share a port', async () => {
    server = createServer((_req, res) => res.end('first'));
    const sockets = reusePortSupported() ? 4 : 1;
    const first = await listen(server, 0, '127.0.0.1', sockets, fail);
    const second = createServer((_req, res) => res.end('second'));
    await expect(listen(second, first.address.port, '127.0.0.1', sockets, fail)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(second.listening).toBe(false);
    // Every connection still reaches the first.
    const answers = await Promise.all(Array.from({ length: 16 }, () => getOnNewConnection(first.address.port)));
    expect(new Set(answers)).toEqual(new Set(['HTTP/1.1 200 OK']));
  });
});

describeEachEngine('the web chat on several sockets', (db) => {
  let web: WebServer | undefined;
  afterEach(async () => {
    await web?.close();
    web = undefined;
  });

  it('listens on as many as PULJE_LISTEN_SOCKETS asks where the runtime can, else on one, and says so in /metrics', async () => {
    web = await startTestServer(db(), { PULJE_LISTEN_SOCKETS: 3 });
    const metrics = (await (await fetch(`${web.url}/metrics`)).json()) as { acceptedBySocket: number[] };
    expect(metrics.acceptedBySocket).toHaveLength(reusePortSupported() ? 3 : 1);
    expect(metrics.acceptedBySocket.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    // Closed, none of the sockets on the port takes a connection any more.
    const { port } = new URL(web.url);
    await web.close();
    web = undefined;
    await expect(getOnNewConnection(Number(port))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
