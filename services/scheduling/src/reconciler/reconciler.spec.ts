import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateServiceV1 } from '@caas/contracts';
import { eventually } from '@caas/testing';
import { EngineProxy } from '../runtime/docker/test-support/engine-proxy';
import {
  ENGINE_SETUP_TIMEOUT_MS,
  IMAGE,
  dockerHosts,
  newRunId,
  rawDocker,
} from '../runtime/docker/test-support/engines';
import { LABELS } from '../runtime/runtime-spec';
import { SchedulerKit } from './test-support/scheduler-kit';

jest.setTimeout(120_000);

/** busybox httpd answering its replica's hostname on :8080. */
const web = (replicas: number, extra: Partial<CreateServiceV1> = {}): Omit<CreateServiceV1, 'environmentId'> =>
  ({
    name: 'web',
    image: IMAGE,
    command: ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www'],
    ports: [{ containerPort: 8080 }],
    resources: { cpus: 0.1, memoryMb: 32 },
    replicas,
    ...extra,
  }) as Omit<CreateServiceV1, 'environmentId'>;

const TTL_MS = 3_000;

let kit: SchedulerKit;

describe('Reconciler (real Docker engines, real PostgreSQL)', () => {
  const runId = newRunId();
  let endpoints: string[];
  let proxy: EngineProxy;

  beforeAll(async () => {
    const engines = (await dockerHosts()).slice(0, 3);
    expect(engines).toHaveLength(3);
    // host 2 is reached through a proxy this test cuts: an engine that stops answering.
    const proxySocket = join(tmpdir(), `caas-${runId}-rec-2.sock`);
    proxy = new EngineProxy(engines[1]!.replace(/^unix:\/\//, ''), proxySocket);
    await proxy.start();
    endpoints = [engines[0]!, `unix://${proxySocket}`, engines[2]!];
    kit = await SchedulerKit.start({ ttlMs: TTL_MS });
    for (const endpoint of endpoints) await kit.registerHost(endpoint);
  }, ENGINE_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    // Through the engines' own sockets: the proxy may be cut if a test failed half-way.
    await kit?.close(await dockerHosts());
    await proxy?.stop();
  });

  /** Each host's running replicas of `serviceId` (engine view). */
  async function runningByHost(serviceId: string): Promise<Map<string, string[]>> {
    const engines = (await dockerHosts()).slice(0, 3);
    const byHost = new Map<string, string[]>();
    for (const [index, hostId] of kit.hostIds.entries()) {
      const listed = await rawDocker(engines[index]!).listContainers({
        filters: { label: [`${LABELS.service}=${serviceId}`, `${LABELS.host}=${hostId}`], status: ['running'] },
      });
      byHost.set(
        hostId,
        listed.map((c) => c.Labels[LABELS.container]!),
      );
    }
    return byHost;
  }

  const total = (byHost: Map<string, string[]>) => [...byHost.values()].flat();

  it('runs a 3-replica service spread over the 3 hosts, each answering HTTP on its published port', async () => {
    const serviceId = await kit.createService(web(3));
    const byHost = await eventually(
      () => runningByHost(serviceId),
      (m) => total(m).length === 3,
      { timeoutMs: 30_000 },
    );
    expect([...byHost.values()].map((ids) => ids.length)).toEqual([1, 1, 1]);
    const replicas = total(byHost).map((id) => kit.core.cluster.container(id)!);
    const answers = await Promise.all(
      replicas.map(async (replica) => {
        const port = replica.ports[0]!;
        const response = await eventually(() => fetch(`http://${port.hostIp}:${port.hostPort}/`), undefined, {
          timeoutMs: 10_000,
        });
        return (await response.text()).trim();
      }),
    );
    expect(new Set(answers).size).toBe(3);
    expect(new Set(replicas.map((replica) => replica.ports[0]!.hostPort)).size).toBe(3);
    const service = await eventually(
      async () => serviceState(serviceId),
      (state) => Object.values(state.running).filter((r) => r.health === 'healthy').length === 3,
    );
    expect(Object.values(service.running).map((r) => r.health)).toEqual(['healthy', 'healthy', 'healthy']);
    expect(kit.errors).toEqual([]);
  });

  it('replaces a killed replica, and removes the dead container', async () => {
    const serviceId = await kit.createService(web(2, { name: 'killed' }));
    const before = await eventually(
      () => runningByHost(serviceId),
      (m) => total(m).length === 2,
      { timeoutMs: 30_000 },
    );
    const victim = total(before)[0]!;
    const victimHost = kit.core.cluster.container(victim)!.hostId;
    const engine = rawDocker((await dockerHosts())[kit.hostIds.indexOf(victimHost)]!);
    const [listed] = await engine.listContainers({ filters: { label: [`${LABELS.container}=${victim}`] } });
    await engine.getContainer(listed!.Id).kill();

    const after = await eventually(
      () => runningByHost(serviceId),
      (m) => total(m).length === 2 && !total(m).includes(victim),
      { timeoutMs: 30_000 },
    );
    expect(total(after)).toHaveLength(2);
    const removed = await eventually(
      async () => kit.core.cluster.container(victim)!,
      (state) => state.observed === 'removed',
    );
    expect(removed).toMatchObject({ observed: 'removed', exitCode: 137, stopReason: 'replaced' });
  });

  it('rolls a new configuration out, and rolls back a revision whose replicas fail their health check', async () => {
    const serviceId = await kit.createService(web(2, { name: 'rolling' }));
    await eventually(
      async () => serviceState(serviceId),
      (state) => state.rollout.status === 'idle' && healthy(state) === 2,
      { timeoutMs: 30_000 },
    );
    await kit.updateService({ serviceId, env: { REVISION: '2' } });
    const updated = await eventually(
      async () => serviceState(serviceId),
      (state) => state.stableRevision === 2 && healthy(state) === 2,
      { timeoutMs: 60_000 },
    );
    expect(Object.values(updated.running).map((r) => r.revision)).toEqual([2, 2]);

    await kit.updateService({
      serviceId,
      healthCheck: { test: ['CMD', 'false'], intervalSeconds: 1, timeoutSeconds: 1, retries: 1 },
    });
    const rolledBack = await eventually(
      async () => serviceState(serviceId),
      (state) => state.revision === 3 && state.rollout.status === 'idle' && healthy(state) === 2,
      { timeoutMs: 60_000 },
    );
    expect(rolledBack.stableRevision).toBe(2);
    expect(Object.values(rolledBack.running).map((r) => r.revision)).toEqual([2, 2]);
    // The failed revision's container is stopped (10 s grace: httpd as PID 1 ignores SIGTERM), then removed.
    const running = await eventually(
      () => runningByHost(serviceId),
      (m) => total(m).length === 2,
      { timeoutMs: 20_000 },
    );
    expect(total(running).sort()).toEqual(Object.keys(rolledBack.running).sort());
  });

  it("replaces a stopped engine's replicas within the TTL plus a few seconds, and removes them when it returns", async () => {
    const serviceId = await kit.createService(web(3, { name: 'failover' }));
    const before = await eventually(
      () => runningByHost(serviceId),
      (m) => total(m).length === 3,
      { timeoutMs: 30_000 },
    );
    const cutHost = kit.hostIds[1]!;
    const stranded = before.get(cutHost)!;
    expect(stranded).toHaveLength(1);

    const cutAt = Date.now();
    await proxy.stop();
    const replaced = await eventually(
      async () => {
        const m = await runningByHost(serviceId);
        return [...m.entries()].filter(([hostId]) => hostId !== cutHost).flatMap(([, ids]) => ids);
      },
      (ids) => ids.length === 3,
      { timeoutMs: TTL_MS + 15_000 },
    );
    const failoverMs = Date.now() - cutAt;
    expect(replaced).toHaveLength(3);
    expect(failoverMs).toBeLessThan(TTL_MS + 10_000);
    expect(kit.core.cluster.host(cutHost)!.health).toBe('down');

    await proxy.start();
    const back = await eventually(
      () => runningByHost(serviceId),
      (m) => m.get(cutHost)!.length === 0 && total(m).length === 3,
      { timeoutMs: 20_000 },
    );
    expect(total(back).sort()).toEqual([...replaced].sort());
    expect(kit.core.cluster.host(cutHost)!.health).toBe('up');
  });

  it('converges with no duplicates when the scheduler restarts in the middle of a rollout', async () => {
    const serviceId = await kit.createService(
      web(3, { name: 'restarted', update: { maxUnavailable: 1, maxSurge: 1 } }),
    );
    await eventually(
      async () => serviceState(serviceId),
      (state) => healthy(state) === 3,
      { timeoutMs: 30_000 },
    );
    await kit.updateService({ serviceId, env: { REVISION: '2' } });
    // Stop as soon as the rollout has started a replica of the new revision.
    await eventually(
      async () => serviceState(serviceId),
      (state) => Object.values(state.running).some((r) => r.revision === 2),
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    await kit.restart();

    const done = await eventually(
      async () => serviceState(serviceId),
      (state) => state.stableRevision === 2 && healthy(state) === 3,
      { timeoutMs: 60_000 },
    );
    expect(Object.keys(done.running)).toHaveLength(3);
    const settled = await eventually(
      () => runningByHost(serviceId),
      (m) => total(m).length === 3,
      { timeoutMs: 20_000 },
    );
    expect(total(settled).sort()).toEqual(Object.keys(done.running).sort());
    const live = kit.core.cluster.replicasOf(serviceId).filter((c) => c.desired !== 'deleted');
    expect(live).toHaveLength(3);
  });

  it('removes an orphan: a container labelled for its host that no stream wants', async () => {
    const engine = rawDocker((await dockerHosts())[0]!);
    const orphanId = `${runId}-orphan`;
    const created = await engine.createContainer({
      name: `caas-orphan-${runId}`,
      Image: IMAGE,
      Cmd: ['sleep', '300'],
      Labels: { [LABELS.managed]: 'true', [LABELS.host]: kit.hostIds[0]!, [LABELS.container]: orphanId },
    });
    await created.start();
    await eventually(
      () => engine.listContainers({ all: true, filters: { label: [`${LABELS.container}=${orphanId}`] } }),
      (listed) => listed.length === 0,
      { timeoutMs: 30_000 },
    );
    expect(kit.core.cluster.container(orphanId)).toBeUndefined();
  });

  // Last: it leaves host 3 drained for good.
  it("moves a drained host's replicas to the other hosts and places nothing new there", async () => {
    const serviceId = await kit.createService(web(3, { name: 'drained' }));
    await eventually(
      () => runningByHost(serviceId),
      (m) => total(m).length === 3,
      { timeoutMs: 30_000 },
    );
    const drained = kit.hostIds[2]!;
    await kit.drainHost(drained);
    const moved = await eventually(
      () => runningByHost(serviceId),
      (m) => m.get(drained)!.length === 0 && total(m).length === 3,
      { timeoutMs: 30_000 },
    );
    expect(moved.get(drained)).toEqual([]);
    const live = kit.core.cluster.replicasOf(serviceId).filter((c) => c.desired !== 'deleted');
    expect(live.map((c) => c.hostId)).not.toContain(drained);
    expect(live.filter((c) => c.hostId === drained)).toEqual([]);
  });
});

function serviceState(serviceId: string) {
  const state = kit.core.cluster.service(serviceId);
  if (!state) throw new Error(`service ${serviceId} is not folded yet`);
  return state;
}

const healthy = (state: { running: Record<string, { health: string }> }) =>
  Object.values(state.running).filter((r) => r.health === 'healthy').length;
