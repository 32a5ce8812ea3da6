/** Starting to listen, with an error an operator can act on when the port cannot be had. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The port could not be listened on; `message` names the setting, the address and what to do. */
export class ListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenError';
  }
}

/**
 * Listens on host:port and resolves with the port (the one chosen when `port` is 0).
 * @example const port = await listen(server, 3000, '0.0.0.0', 'PORT');
 */
export function listen(server: Server, port: number, host: string, setting: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => {
      const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const why =
        err.code === 'EADDRINUSE' ? 'is in use by another process: stop it, or choose another port'
        : err.code === 'EACCES' ? 'needs privileges this process does not have: choose a port above 1023'
        : err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' ? 'is not an address of this host'
        : `cannot be listened on (${err.code ?? err.message})`;
      reject(new ListenError(`${setting}: ${where} ${why}`));
    };
    server.once('error', failed).listen(port, host, () => {
      server.off('error', failed);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** A URL for host:port (an IPv6 address in brackets). */
export function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
