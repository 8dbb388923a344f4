import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnVigil, stopChild, waitFor, type VigilChild } from './child-process.js';
import { freePort } from './free-port.js';

/** Options of {@link VigilServer.start}. */
export interface VigilServerOptions {
  /** Extra `VIGIL_*` environment for the server (e.g. query limits). */
  env?: Record<string, string>;
}

/**
 * A real `vigil server` process on 127.0.0.1 with its own temporary data directory, serving the
 * built dashboard. It can be killed and restarted on the same port and data directory, which is
 * how the e2e tests take the server away from a live browser.
 */
export class VigilServer {
  readonly username = 'admin';
  readonly password = `e2e-${Math.random().toString(36).slice(2)}-password`;
  private child: VigilChild | null = null;

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {}

  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts a server on a free port with a fresh data directory; resolves once `/ready` is 200. */
  static async start(options: VigilServerOptions = {}): Promise<VigilServer> {
    const server = new VigilServer(await freePort(), mkdtempSync(join(tmpdir(), 'vigil-e2e-')), options.env ?? {});
    await server.launch();
    return server;
  }

  /** Starts the process again (same port, same data) after {@link kill} or {@link stop}. */
  async launch(): Promise<void> {
    if (this.child) throw new Error('server already running');
    this.child = spawnVigil(['server'], {
      VIGIL_HOST: '127.0.0.1',
      VIGIL_PORT: String(this.port),
      VIGIL_DATA_DIR: this.dataDir,
      VIGIL_ADMIN_USER: this.username,
      VIGIL_ADMIN_PASSWORD: this.password,
      // Cheap password hashing: the tests log in a few times; the cost is not what they test.
      VIGIL_SCRYPT_LOG_N: '10',
      VIGIL_LOG_LEVEL: 'warn',
      ...this.env,
    });
    const child = this.child;
    let exited = false;
    void child.exited.then(() => (exited = true));
    await waitFor(
      `vigil server on ${this.url}/ready`,
      async () => {
        if (exited) throw new Error(`vigil server exited during start:\n${child.output()}`);
        try {
          return (await fetch(`${this.url}/ready`)).status === 200;
        } catch {
          return false;
        }
      },
      60_000,
      200,
    );
  }

  /** Kills the process abruptly (SIGKILL): open sockets drop without a close handshake. */
  async kill(): Promise<void> {
    if (!this.child) return;
    await stopChild(this.child, 'SIGKILL');
    this.child = null;
  }

  /** Stops the process gracefully (SIGTERM). */
  async stop(): Promise<void> {
    if (!this.child) return;
    await stopChild(this.child, 'SIGTERM');
    this.child = null;
  }

  /** Server output so far (for failure messages). */
  output(): string {
    return this.child?.output() ?? '';
  }

  /** Logs in through the API and returns the session cookie header value. */
  async login(): Promise<string> {
    const res = await fetch(`${this.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'vigil' },
      body: JSON.stringify({ username: this.username, password: this.password }),
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    const cookie = res.headers.get('set-cookie') ?? '';
    return cookie.split(';')[0] as string;
  }

  /** Creates an agent and its ingest key through the API (as the admin). */
  async enrollAgent(name: string): Promise<{ id: string; key: string }> {
    const cookie = await this.login();
    const res = await fetch(`${this.url}/api/v1/agents`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'vigil', Cookie: cookie },
      body: JSON.stringify({ name }),
    });
    if (res.status !== 201) throw new Error(`enroll failed: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { agent: { id: string }; key: string };
    return { id: body.agent.id, key: body.key };
  }

  /** Stops the server and deletes its data directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
