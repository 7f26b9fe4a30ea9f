// Ports for another process (the SFU) to bind a moment later. A port the OS hands out for bind(0)
// lies in its ephemeral range, the same range every outgoing connection on the machine draws its
// local port from (Linux 32768-60999, Windows and macOS 49152-65535): between our probe and the
// SFU's bind, any fetch or WebSocket anywhere could take it, and the SFU then fails with "address
// already in use". So candidates are drawn below every default ephemeral range, where only an
// explicit bind can land, and checked free before they are handed out.
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const LOW = 20_000;
const HIGH = 32_767;
const ATTEMPTS = 50;

function tcpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

function udpFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    sock.unref();
    sock.once('error', () => {
      sock.close();
      resolve(false);
    });
    sock.bind({ port, address: host, exclusive: true }, () => sock.close(() => resolve(true)));
  });
}

async function pick(host: string, free: (port: number) => Promise<boolean>, what: string): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = randomInt(LOW, HIGH + 1);
    if (await free(port)) return port;
  }
  throw new Error(`no free ${what} port on ${host} in ${LOW}-${HIGH} after ${ATTEMPTS} tries`);
}

/** A TCP port free on `host` right now, outside the ephemeral range. */
export function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  return pick(host, (port) => tcpFree(port, host), 'TCP');
}

/** A port free for both TCP and UDP, for services (like the SFU's mux) that use one number for both. */
export function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  return pick(host, async (port) => (await udpFree(port, host)) && (await tcpFree(port, host)), 'UDP');
}

/** Whether `port` can be bound on `host` right now (false when taken or not permitted, e.g. 443 unprivileged). */
export function portFree(port: number, host: string, protocol: 'tcp' | 'udp'): Promise<boolean> {
  return protocol === 'tcp' ? tcpFree(port, host) : udpFree(port, host);
}
