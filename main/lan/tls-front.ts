// The LAN entrance of Host on this computer: TLS on this computer's LAN addresses, passed through as
// plain TCP to the team server and the SFU that listen on loopback. Working below HTTP keeps
// WebSocket upgrades and long polls untouched, and it is the only part that ever sees the network.
import { connect, type Socket } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';

export interface TlsFrontOptions {
  key: string;
  cert: string;
  /** Where to listen: LAN address and port. */
  host: string;
  port: number;
  /** The loopback port behind it. */
  targetPort: number;
}

export interface TlsFront {
  close(): Promise<void>;
}

export async function openTlsFront(options: TlsFrontOptions): Promise<TlsFront> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server: Server = createServer({ key: options.key, cert: options.cert, minVersion: 'TLSv1.2' }, (client: TLSSocket) => {
    track(client);
    const upstream = connect({ host: '127.0.0.1', port: options.targetPort });
    track(upstream);
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.once('error', end);
    upstream.once('error', end);
    client.once('close', end);
    upstream.once('close', end);
  });
  // Handshake failures (a browser that has not accepted the certificate yet) are the client's business.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
