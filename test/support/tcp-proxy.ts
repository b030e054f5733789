import net from 'node:net';

/**
 * A loopback TCP proxy in front of a real server, which a test can cut (every connection reset,
 * new ones refused) and restore: a PostgreSQL outage without touching the shared server.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  private readonly target: { host: string; port: number };

  constructor(target: { host: string; port: number }) {
    this.target = target;
  }

  /**
   * Listens on `port`, or on a free port below Linux's ephemeral range (32768–60999): while the
   * proxy is cut, clients retrying the port could otherwise be handed it as their own local port
   * (or self-connect to it), and the restore would find it in use.
   */
  async start(port = 0): Promise<number> {
    if (port === 0) {
      for (let attempt = 0; ; attempt++) {
        const candidate = 20_000 + Math.floor(Math.random() * 12_000);
        try {
          return await this.start(candidate);
        } catch (err) {
          if ((err as { code?: string }).code !== 'EADDRINUSE' || attempt > 50) throw err;
        }
      }
    }
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      this.sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => {
        this.server!.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server!.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Outage: reset every connection and stop listening (new connections are refused). */
  async cut(): Promise<void> {
    // Stop accepting first, then reset every connection, including any accepted meanwhile.
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    await closed;
  }

  /** Listens again on the same port (retrying while the kernel still holds it, up to 10 s). */
  async restore(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.start(this.port);
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== 'EADDRINUSE' || attempt >= 100) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server?.listening ? this.server.close(() => resolve()) : resolve()));
  }
}
