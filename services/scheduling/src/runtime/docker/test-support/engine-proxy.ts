import type { TestPki } from './tls-certs';
import { rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';

/**
 * A stand-in for the network between the scheduler and an engine: it forwards
 * connections to a real engine's socket, and can drop (`stop`), restore (`start`) or
 * black-hole (`freeze`: connections are accepted, nothing is forwarded) that path. This
 * is how the tests take "a host" away without stopping an engine other tests use.
 * With `tls`, it listens as a TLS endpoint on 127.0.0.1 instead of a unix socket.
 */
export class EngineProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private frozen = false;
  private port = 0;

  constructor(
    private readonly engineSocketPath: string,
    private readonly listenPath?: string,
    private readonly tls?: TlsOptions,
  ) {}

  get endpoint(): string {
    return this.tls ? `tcp://127.0.0.1:${this.port}` : `unix://${this.listenPath}`;
  }

  async start(): Promise<void> {
    const onConnection = (client: Socket) => this.forward(client);
    const server = this.tls ? createTlsServer(this.tls, onConnection) : createServer(onConnection);
    // A client whose certificate is refused must not crash the test process.
    server.on('tlsClientError', () => undefined);
    this.server = server;
    if (this.tls) {
      await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
      this.port = (server.address() as { port: number }).port;
    } else {
      rmSync(this.listenPath!, { force: true });
      await new Promise<void>((resolve) => server.listen(this.listenPath!, resolve));
    }
  }

  /** The engine "goes away": no new connections, and every open one is cut. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** The path stays open but carries nothing, as behind a dead network. */
  freeze(): void {
    this.frozen = true;
    for (const socket of this.sockets) socket.pause();
  }

  thaw(): void {
    this.frozen = false;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private forward(client: Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    if (this.frozen) {
      client.pause();
      return;
    }
    const upstream = connect(this.engineSocketPath);
    this.sockets.add(upstream);
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

/**
 * Engine 1 behind a TLS endpoint on 127.0.0.1 that demands a client certificate from
 * the test CA, as `dockerd --tlsverify` does. Started; stop it after the test.
 */
export async function startTlsEngineProxy(engineEndpoint: string, pki: TestPki): Promise<EngineProxy> {
  const proxy = new EngineProxy(engineEndpoint.replace(/^unix:\/\//, ''), undefined, {
    ca: pki.ca,
    cert: pki.server.cert,
    key: pki.server.key,
    requestCert: true,
    rejectUnauthorized: true,
  });
  await proxy.start();
  return proxy;
}
