import net from 'node:net';

/**
 * Asks the OS for a free TCP port on 127.0.0.1. The e2e server needs a fixed port (instead of
 * port 0) because the kill-and-restart test brings it back at the same address the browser's
 * WebSocket reconnects to.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
