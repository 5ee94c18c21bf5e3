/* Shared by the JetStream specs: real NATS (NATS_URL) and real PostgreSQL (TEST_DATABASE_URL). */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ConnectionOptions, type JetStreamManager, type JsMsg, type NatsConnection } from 'nats';
import { Pool, type PoolConfig } from 'pg';

export function natsUrl(): string {
  const url = process.env.NATS_URL;
  if (!url) throw new Error('NATS_URL is not set: start the infrastructure with `npm run infra:up`');
  return url;
}

export function databaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: start the infrastructure with `npm run infra:up`');
  return url;
}

export function connectNats(options: Partial<ConnectionOptions> = {}): Promise<NatsConnection> {
  return connect({ servers: natsUrl(), name: 'messaging-tests', ...options });
}

export function testPool(config: PoolConfig = {}): Pool {
  const pool = new Pool({ connectionString: databaseUrl(), max: 5, application_name: 'messaging-tests', ...config });
  pool.on('error', () => undefined);
  return pool;
}

/** Subject tokens, categories and durable names must be unique per test: the stream and tables are shared. */
export function unique(prefix: string): string {
  return `${prefix}${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

/** Every message of `stream` on subjects matching `filter`, in stream order, read with an ordered consumer. */
export async function storedMessages(nc: NatsConnection, stream: string, filter: string): Promise<JsMsg[]> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(stream, { subjects_filter: filter });
  const expected = Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  const messages: JsMsg[] = [];
  if (expected === 0) return messages;
  const consumer = await nc.jetstream().consumers.get(stream, { filterSubjects: filter });
  while (messages.length < expected) {
    const batch = await consumer.fetch({ max_messages: expected - messages.length, expires: 2_000 });
    const before = messages.length;
    for await (const msg of batch) messages.push(msg);
    if (messages.length === before) throw new Error(`Read ${before} of ${expected} messages on ${filter}`);
  }
  return messages;
}

export async function purgeSubjects(jsm: JetStreamManager, stream: string, filter: string): Promise<void> {
  await jsm.streams.purge(stream, { filter }).catch(() => undefined);
}

export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A NATS server of the test's own (binary `nats-server`, or NATS_SERVER_BIN), for tests
 * that take NATS away: the shared one must stay up for everyone else.
 */
export class PrivateNatsServer {
  private process: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly storeDir: string,
  ) {}

  static async start(): Promise<PrivateNatsServer> {
    const server = new PrivateNatsServer(await freePort(), mkdtempSync(join(tmpdir(), 'caas-nats-')));
    await server.restart();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    const bin = process.env.NATS_SERVER_BIN ?? 'nats-server';
    const child = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], {
      stdio: 'ignore',
    });
    const failed = new Promise<never>((_, reject) =>
      child.once('error', (error) => reject(new Error(`Cannot run ${bin}: ${error.message}`))),
    );
    this.process = child;
    await Promise.race([
      failed,
      eventually(
        async () => {
          const nc = await connect({ servers: this.url, reconnect: false }).catch(() => undefined);
          if (!nc) return undefined;
          await nc.jetstreamManager().finally(() => nc.close());
          return true;
        },
        10_000,
        `nats-server on ${this.url}`,
      ),
    ]);
  }

  async kill(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
