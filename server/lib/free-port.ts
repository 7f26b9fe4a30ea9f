import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** A TCP port the OS says is free on `host` right now. */
export function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** A port free for both TCP and UDP, for services (like the SFU's mux) that use one number for both. */
export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const sock = createSocket('udp4');
      sock.once('error', reject);
      sock.bind(0, host, () => {
        const { port } = sock.address();
        sock.close(() => resolve(port));
      });
    });
    if (port > 0) return port;
  }
  throw new Error('no free UDP port');
}
