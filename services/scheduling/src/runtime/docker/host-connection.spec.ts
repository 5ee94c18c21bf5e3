import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerHostDriver } from './docker-host-driver';
import { HostUnreachableError } from './errors';
import { type EngineProxy, startTlsEngineProxy } from './test-support/engine-proxy';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts, newRunId, testSpec } from './test-support/engines';
import { makeTestPki, type TestPki } from './test-support/tls-certs';

const runId = newRunId();
const path = (name: string) => join(tmpdir(), `caas-${runId}-${name}.sock`);

describe('an unreachable host', () => {
  it('is HostUnreachableError when its socket does not exist', async () => {
    const driver = new DockerHostDriver({ endpoint: `unix://${path('missing')}` });
    await expect(driver.ping()).rejects.toBeInstanceOf(HostUnreachableError);
    await expect(driver.info()).rejects.toThrow(/unreachable: ENOENT/);
    await expect(driver.createContainer(testSpec(runId, `${runId}-a`, 'x'))).rejects.toBeInstanceOf(
      HostUnreachableError,
    );
    await expect(driver.logs('x', { follow: true })).rejects.toBeInstanceOf(HostUnreachableError);
  });

  it('is HostUnreachableError when nothing listens on its socket', async () => {
    const file = path('refused');
    writeFileSync(file, '');
    try {
      const driver = new DockerHostDriver({ endpoint: `unix://${file}` });
      await expect(driver.ping()).rejects.toThrow(/unreachable: ECONNREFUSED/);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('is HostUnreachableError within the ping timeout when the engine accepts but never answers', async () => {
    const sockets: Socket[] = [];
    const server: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(path('silent'), resolve));
    try {
      const driver = new DockerHostDriver({ endpoint: `unix://${path('silent')}`, requestTimeoutMs: 500 });
      const started = Date.now();
      await expect(driver.ping(300)).rejects.toThrow(/unreachable: no answer in time/);
      expect(Date.now() - started).toBeLessThan(2_000);
      await expect(driver.list()).rejects.toBeInstanceOf(HostUnreachableError);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('a tcp:// host with TLS client certificates', () => {
  let pki: TestPki;
  let proxy: EngineProxy;

  beforeAll(async () => {
    const [endpoint] = (await dockerHosts()) as [string];
    pki = await makeTestPki();
    proxy = await startTlsEngineProxy(endpoint, pki);
  }, ENGINE_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await proxy?.stop();
  });

  it('is reached with the client certificate', async () => {
    const driver = new DockerHostDriver({ endpoint: proxy.endpoint, tls: { ca: pki.ca, ...pki.client } });
    expect((await driver.info()).labels['caas.host']).toBe('host-1');
  });

  it('is unreachable with a certificate it does not trust', async () => {
    const driver = new DockerHostDriver({ endpoint: proxy.endpoint, tls: { ca: pki.ca, ...pki.stranger } });
    await expect(driver.ping()).rejects.toBeInstanceOf(HostUnreachableError);
  });

  it('is refused without TLS', () => {
    expect(() => new DockerHostDriver({ endpoint: proxy.endpoint })).toThrow(/needs TLS client certificates/);
  });
});
