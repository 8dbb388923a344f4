import net from 'node:net';

/**
 * A loopback TCP forwarder in front of a real service (PostgreSQL in the outage tests). `block()`
 * cuts every open connection and refuses new ones (the port stays bound, connections are reset),
 * like a database that went away; `unblock()` lets connections through again.
 */
export class TcpProxy {
  private blocked = false;
  private readonly open = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    /** Loopback port to connect to instead of the target. */
    readonly port: number,
  ) {}

  /** Listens on a free loopback port and forwards to `target`. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const holder: { proxy?: TcpProxy } = {};
    const server = net.createServer((client) => holder.proxy!.accept(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.proxy = new TcpProxy(server, (server.address() as net.AddressInfo).port);
    return holder.proxy;
  }

  private accept(client: net.Socket, target: { host: string; port: number }): void {
    if (this.blocked) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target);
    for (const s of [client, upstream]) {
      this.open.add(s);
      s.on('error', () => undefined);
      s.on('close', () => this.open.delete(s));
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  /** Resets every connection and refuses new ones until {@link unblock}. */
  block(): void {
    this.blocked = true;
    for (const s of this.open) s.resetAndDestroy();
  }

  unblock(): void {
    this.blocked = false;
  }

  async close(): Promise<void> {
    this.block();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
