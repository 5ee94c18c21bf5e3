import { createConnection } from 'node:net';
import { SERVICE_REGISTRY, type ServiceProcess, freePort, startServiceProcess } from './service-process';

const FAKE = 'libs/testing/src/fixtures/fake-service.js';
const logLine = { logLine: /fake is ready/ };

describe('startServiceProcess', () => {
  const started: ServiceProcess[] = [];
  const start = async (env: Record<string, string>, options: Parameters<typeof startServiceProcess>[2]) => {
    const service = await startServiceProcess('fake', env, { entry: FAKE, ...options });
    started.push(service);
    return service;
  };
  afterAll(() => Promise.all(started.map((service) => service.stop())));

  it('waits for the log line; passes only the given env; kill, restart and stop', async () => {
    process.env.DATABASE_URL ??= 'postgres://not-for-services';
    const service = await start({ FAKE_MODE: 'log', FAKE_DELAY_MS: '300', FAKE_ECHO: 'hello' }, { ready: logLine });
    expect(service.running).toBe(true);
    expect(service.logs()).toContain('fake is ready');
    // The test process's DATABASE_URL (a developer's database) does not leak in.
    expect(service.logs()).toContain('echo=hello database=unset');
    expect(service.env).toMatchObject({ NODE_ENV: 'test', NO_COLOR: '1', FAKE_ECHO: 'hello' });

    const firstPid = service.pid;
    expect(await service.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(service.running).toBe(false);
    expect(service.logs()).toContain(`(pid ${firstPid}) exited: signal SIGKILL`);

    await service.restart();
    expect(service.running).toBe(true);
    expect(service.pid).not.toBe(firstPid);
    // Readiness is judged on the new run's output, not the first run's line.
    expect(service.logs().match(/fake is ready/g)).toHaveLength(2);

    expect(await service.stop()).toEqual({ code: 0, signal: null });
    expect(service.logs()).toContain('SIGTERM received');
    expect(await service.stop()).toEqual({ code: 0, signal: null });
  });

  it('waits for an HTTP 200', async () => {
    const port = await freePort();
    const service = await start(
      { FAKE_MODE: 'http', PORT: String(port) },
      { ready: { httpOk: `http://127.0.0.1:${port}/v1/health` } },
    );
    expect((await fetch(`http://127.0.0.1:${port}/v1/health`)).status).toBe(200);
    await service.stop();
  });

  it('fails with the output when the service exits before it is ready', async () => {
    await expect(start({ FAKE_MODE: 'crash' }, { ready: logLine })).rejects.toThrow(
      /fake exited \(code 3\) before it was ready; its output:[\s\S]*boom: cannot start/,
    );
  });

  it('fails, and kills it, when the service is not ready in time', async () => {
    const before = new Set(registry());
    await expect(start({ FAKE_MODE: 'hang' }, { ready: logLine, readyTimeoutMs: 1_000 })).rejects.toThrow(
      /fake was not ready within 1000 ms; its output:[\s\S]*echo=/,
    );
    const hung = [...registry()].filter((service) => !before.has(service));
    expect(hung.map((service) => service.running)).toEqual([false]);
  });

  it('knows how to tell when the gateway and tenancy are ready, and asks for anything else', async () => {
    await expect(startServiceProcess('billing', {})).rejects.toThrow("Say how to tell that 'billing' is ready");
  });

  it('lists every service it starts for the jest environment, which prints their output when a test fails', () => {
    expect(started.length).toBeGreaterThan(0);
    for (const service of started) expect(registry().has(service)).toBe(true);
  });
});

describe('freePort', () => {
  it('finds a port nobody listens on', async () => {
    const port = await freePort();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});

function registry(): Set<ServiceProcess> {
  return (globalThis as unknown as Record<string, Set<ServiceProcess>>)[SERVICE_REGISTRY] ?? new Set();
}
