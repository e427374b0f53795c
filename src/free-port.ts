/** Finding a TCP port to listen on: the local hub picks its port this way, as do the tests and the bench. */
import net from 'node:net';

/** A port on `host` that was free a moment ago (another process may take it before it is used). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
