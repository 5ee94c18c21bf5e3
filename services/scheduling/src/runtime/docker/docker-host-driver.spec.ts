import { cpus } from 'node:os';
import type { Readable } from 'node:stream';
import { eventually } from '@caas/testing';
import { DROPPED_CAPABILITIES } from '../../policy/host-config';
import { LABELS } from '../runtime-spec';
import { DockerHostDriver } from './docker-host-driver';
import { ContainerNotFoundError, ImageNotFoundError, RuntimeError } from './errors';
import {
  ENGINE_SETUP_TIMEOUT_MS,
  IMAGE,
  TEST_RUN_LABEL,
  cleanUp,
  dockerHosts,
  freePort,
  newRunId,
  rawDocker,
  testSpec,
} from './test-support/engines';

// Integration tests against the real local engines of infra/local/docker.sh.
const runId = newRunId();
const tenantA = `${runId}-a`;
const tenantB = `${runId}-b`;
let endpoints: string[];
let driver: DockerHostDriver;

beforeAll(async () => {
  endpoints = await dockerHosts();
  driver = new DockerHostDriver({ endpoint: endpoints[0]! });
  await driver.ensureNetwork(`caas-tenant-${tenantA}`, tenantA);
  await driver.ensureNetwork(`caas-tenant-${tenantB}`, tenantB);
}, ENGINE_SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (endpoints) await cleanUp(endpoints[0]!, runId);
});

const exited = (engineId: string) =>
  eventually(
    () => driver.inspect(engineId),
    (c) => c.state === 'exited',
  );

describe('the host', () => {
  it('reports its identity and capacity from the engine', async () => {
    const info = await driver.info();
    expect(info.engineId).toMatch(/\S/);
    expect(info.labels['caas.host']).toBe('host-1');
    expect(info.capacity.cpus).toBe(cpus().length);
    expect(info.capacity.memoryMb).toBeGreaterThan(0);
    expect(info.serverVersion).toMatch(/^\d+\./);
    if (endpoints.length > 1) {
      const other = await new DockerHostDriver({ endpoint: endpoints[1]! }).info();
      expect(other.labels['caas.host']).toBe('host-2');
      expect(other.engineId).not.toBe(info.engineId);
    }
  });

  it('answers a ping quickly', async () => {
    expect(await driver.ping()).toBeLessThan(2_000);
  });
});

describe('an httpd container', () => {
  let engineId: string;
  let hostPort: number;
  const volume = () => `${tenantA}-data`;
  const spec = () =>
    testSpec(runId, tenantA, 'web', {
      command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
      env: { GREETING: 'hello world', EMPTY: '' },
      ports: [{ containerPort: 8080, hostPort, protocol: 'tcp', hostIp: '127.0.0.1' }],
      resources: { cpus: 0.5, memoryMb: 64, pidsLimit: 50 },
      volumes: [{ volumeName: volume(), mountPath: '/data', readOnly: false }],
      restartPolicy: 'on-failure',
      healthCheck: {
        test: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/'],
        intervalSeconds: 1,
        timeoutSeconds: 1,
        retries: 3,
        startPeriodSeconds: 0,
      },
    });

  beforeAll(async () => {
    hostPort = await freePort();
    await driver.ensureVolume(volume(), tenantA);
    engineId = await driver.createContainer(spec());
    await driver.start(engineId);
  });

  it('serves HTTP on its mapped port on 127.0.0.1', async () => {
    const response = await eventually(
      () => fetch(`http://127.0.0.1:${hostPort}/`),
      (r) => r.ok,
    );
    expect(await response.text()).toContain(`${IMAGE} is serving HTTP`);
  });

  it('runs with the limits and the hardening applied by the engine', async () => {
    const raw = await rawDocker(endpoints[0]!).getContainer(engineId).inspect();
    const host = raw.HostConfig;
    expect(host.NanoCpus).toBe(500_000_000);
    expect(host.Memory).toBe(64 * 1024 * 1024);
    expect(host.MemorySwap).toBe(64 * 1024 * 1024);
    expect(host.PidsLimit).toBe(50);
    expect(host.SecurityOpt).toEqual(expect.arrayContaining([expect.stringMatching(/^no-new-privileges/)]));
    expect(host.CapDrop).toEqual(expect.arrayContaining([...DROPPED_CAPABILITIES]));
    expect(host).toMatchObject({
      IpcMode: 'private',
      CgroupnsMode: 'private',
      PublishAllPorts: false,
      ReadonlyRootfs: false,
    });
    expect(host.CapAdd ?? []).toEqual([]);
    expect(host.Privileged).toBe(false);
    expect(host.Binds ?? []).toEqual([]);
    expect(host.NetworkMode).toBe(`caas-tenant-${tenantA}`);
    expect(host.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 0 });
    expect(host.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(hostPort) }] });
    expect(raw.Mounts).toEqual([
      expect.objectContaining({ Type: 'volume', Name: volume(), Destination: '/data', RW: true }),
    ]);
    expect(raw.Config.Env).toEqual(expect.arrayContaining(['GREETING=hello world', 'EMPTY=']));
    expect(raw.Config.Healthcheck).toEqual({
      Test: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/'],
      Interval: 1_000_000_000,
      Timeout: 1_000_000_000,
      Retries: 3,
    });
    expect(raw.Config.Labels).toMatchObject({ [LABELS.managed]: 'true', [LABELS.tenant]: tenantA });
  });

  it('becomes healthy and is observed as such', async () => {
    const observed = await eventually(
      () => driver.inspect(engineId),
      (c) => c.health === 'healthy',
    );
    expect(observed).toMatchObject({
      engineId,
      name: spec().name,
      image: IMAGE,
      state: 'running',
      exitCode: 0,
      health: 'healthy',
    });
    expect(observed.labels[LABELS.container]).toBe(`${runId}-web`);
    expect(Date.parse(observed.startedAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(observed.finishedAt).toBeUndefined();
  });

  it('is created once: creating the same name again answers the existing container', async () => {
    expect(await driver.createContainer(spec())).toBe(engineId);
    const listed = await driver.list({ labels: { [LABELS.container]: `${runId}-web` } });
    expect(listed.map((c) => c.engineId)).toEqual([engineId]);
  });

  it('refuses to adopt a same-named container that is not the platform one', async () => {
    const imposter = { ...spec(), labels: { ...spec().labels, [LABELS.container]: 'someone-else' } };
    await expect(driver.createContainer(imposter)).rejects.toMatchObject({ name: 'RuntimeError', statusCode: 409 });
  });

  it('follows its log until the caller lets go', async () => {
    const lines = await driver.logs(engineId, { follow: true, tail: 0 });
    const closed = new Promise((resolve) => lines.once('close', resolve));
    lines.resume();
    lines.destroy();
    await closed;
  });
});

describe('tenant networks', () => {
  it('puts the containers of two tenants on one host on different networks', async () => {
    const a = await driver.createContainer(testSpec(runId, tenantA, 'net-a'));
    const b = await driver.createContainer(testSpec(runId, tenantB, 'net-b'));
    await Promise.all([driver.start(a), driver.start(b)]);
    const docker = rawDocker(endpoints[0]!);
    const [netsA, netsB] = await Promise.all(
      [a, b].map(async (id) => (await docker.getContainer(id).inspect()).NetworkSettings.Networks),
    );
    expect(Object.keys(netsA!)).toEqual([`caas-tenant-${tenantA}`]);
    expect(Object.keys(netsB!)).toEqual([`caas-tenant-${tenantB}`]);
    const [netA, netB] = [Object.values(netsA!)[0]!, Object.values(netsB!)[0]!];
    expect(netA.NetworkID).not.toBe(netB.NetworkID);
    // Different subnets: no address of one tenant's network is on the other's.
    expect(netA.IPAddress.split('.').slice(0, 3)).not.toEqual(netB.IPAddress.split('.').slice(0, 3));
  });

  it('is ensured idempotently and never handed to another tenant', async () => {
    const name = `caas-tenant-${tenantA}`;
    const id = await driver.ensureNetwork(name, tenantA);
    expect(await driver.ensureNetwork(name, tenantA)).toBe(id);
    await expect(driver.ensureNetwork(name, tenantB)).rejects.toThrow(/not tenant/);
  });

  it('is created again when it was removed behind the driver’s back', async () => {
    const tenant = `${runId}-gone`;
    const name = `caas-tenant-${tenant}`;
    const first = await driver.ensureNetwork(name, tenant);
    await rawDocker(endpoints[0]!).getNetwork(first).remove();
    // The driver still knows the network: the engine's refusal to start is what tells it otherwise.
    const engineId = await driver.createContainer(testSpec(runId, tenant, 'gone'));
    await expect(driver.start(engineId)).rejects.toThrow(`network ${name} not found`);
    const second = await driver.ensureNetwork(name, tenant);
    expect(second).not.toBe(first);
    await driver.start(engineId);
    expect((await driver.inspect(engineId)).state).toBe('running');
  });

  it('ensures volumes idempotently, per tenant', async () => {
    const name = `${tenantB}-cache`;
    expect(await driver.ensureVolume(name, tenantB)).toBe(name);
    expect(await driver.ensureVolume(name, tenantB)).toBe(name);
    await expect(driver.ensureVolume(name, tenantA)).rejects.toThrow(/not tenant/);
    expect(await driver.removeVolume(name)).toBe(true);
    expect(await driver.removeVolume(name)).toBe(false);
  });
});

describe('lifecycle', () => {
  it('stops, starts, restarts and removes', async () => {
    // httpd ignores SIGTERM as PID 1: the 1 s grace period ends in SIGKILL.
    const id = await driver.createContainer(
      testSpec(runId, tenantA, 'life', { command: ['httpd', '-f', '-p', '8080', '-h', '/www'] }),
    );
    expect((await driver.inspect(id)).state).toBe('created');
    await driver.start(id);
    await driver.start(id); // already running: no error
    const first = await driver.inspect(id);
    expect(first.state).toBe('running');

    await driver.stop(id, 1);
    const stopped = await driver.inspect(id);
    expect(stopped).toMatchObject({ state: 'exited', exitCode: 137 });
    expect(stopped.finishedAt).toBeDefined();
    await driver.stop(id, 1); // already stopped: no error

    await driver.start(id);
    await driver.restart(id, 1);
    const restarted = await driver.inspect(id);
    expect(restarted.state).toBe('running');
    expect(Date.parse(restarted.startedAt!)).toBeGreaterThan(Date.parse(first.startedAt!));

    await expect(driver.remove(id)).rejects.toMatchObject({ name: 'RuntimeError', statusCode: 409 });
    await driver.remove(id, true);
    await expect(driver.inspect(id)).rejects.toBeInstanceOf(ContainerNotFoundError);
  });
});

describe('logs', () => {
  it('answers the last N lines of stdout and stderr', async () => {
    const id = await driver.createContainer(
      testSpec(runId, tenantA, 'echo', {
        command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo out-$i; echo err-$i >&2; done'],
      }),
    );
    await driver.start(id);
    await exited(id);
    const all = (await driver.logs(id, {})).split('\n').filter(Boolean);
    expect([...all].sort()).toEqual(
      [1, 2, 3, 4, 5].flatMap((i) => [`err-${i}`]).concat([1, 2, 3, 4, 5].map((i) => `out-${i}`)),
    );
    // Within a stream the order is kept; between stdout and stderr it is the order the
    // engine received them in, so the tail is compared with the end of the full log.
    expect(all.filter((line) => line.startsWith('out-'))).toEqual(['out-1', 'out-2', 'out-3', 'out-4', 'out-5']);
    const tail = (await driver.logs(id, { tail: 4 })).split('\n').filter(Boolean);
    expect(tail).toEqual(all.slice(-4));
  });

  it('follows the log as lines until the container stops', async () => {
    const id = await driver.createContainer(
      testSpec(runId, tenantA, 'ticker', {
        command: ['sh', '-c', 'i=1; while [ $i -le 5 ]; do echo line-$i; i=$((i+1)); sleep 0.2; done; echo done >&2'],
      }),
    );
    await driver.start(id);
    const lines: string[] = [];
    for await (const line of (await driver.logs(id, { follow: true })) as Readable) lines.push(line as string);
    expect(lines).toEqual(['line-1', 'line-2', 'line-3', 'line-4', 'line-5', 'done']);
    expect((await driver.inspect(id)).state).toBe('exited');
  });
});

describe('list', () => {
  it('lists platform containers in every state, filtered by labels', async () => {
    const id = await driver.createContainer(testSpec(runId, tenantB, 'exit-7', { command: ['sh', '-c', 'exit 7'] }));
    await driver.start(id);
    await exited(id);
    const mine = await driver.list({ labels: { [TEST_RUN_LABEL]: runId, [LABELS.tenant]: tenantB } });
    const entry = mine.find((c) => c.engineId === id);
    expect(entry).toMatchObject({ name: `caas-${runId}-exit-7`, state: 'exited', exitCode: 7, image: IMAGE });
    expect(mine.every((c) => c.labels[LABELS.tenant] === tenantB)).toBe(true);
    expect(await driver.list({ labels: { [TEST_RUN_LABEL]: `${runId}-nothing` } })).toEqual([]);
  });
});

describe('errors', () => {
  it('inspecting a missing container is ContainerNotFoundError', async () => {
    await expect(driver.inspect(`caas-${runId}-missing`)).rejects.toBeInstanceOf(ContainerNotFoundError);
    await expect(driver.start(`caas-${runId}-missing`)).rejects.toBeInstanceOf(ContainerNotFoundError);
  });

  it('an image that is not on the host is ImageNotFoundError, and nothing is pulled', async () => {
    const spec = testSpec(runId, tenantA, 'no-image', { image: `caas/${runId}-missing:1` });
    const error = await driver.createContainer(spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageNotFoundError);
    expect(error).toMatchObject({ image: spec.image });
    await expect(driver.inspect(spec.name)).rejects.toBeInstanceOf(ContainerNotFoundError);
  });

  it('a missing tenant network is a RuntimeError with the engine message', async () => {
    // The engine accepts the create and refuses at start, when it attaches the network.
    const spec = testSpec(runId, `${runId}-nonet`, 'no-net');
    const id = await driver.createContainer(spec);
    const error = await driver.start(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error).not.toBeInstanceOf(ContainerNotFoundError);
    expect((error as Error).message).toContain(spec.network);
  });
});
