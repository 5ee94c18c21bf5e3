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

describe('Reconciler (real Docker engines, real PostgreSQL)', () => {
  const runId = newRunId();
  let kit: SchedulerKit;
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
    await proxy?.start().catch(() => undefined);
    await kit?.close([endpoints[0]!, endpoints[1]!, endpoints[2]!]);
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
      async () => kit.core.cluster.service(serviceId)!,
      (state) => Object.values(state.running).filter((r) => r.health === 'healthy').length === 3,
    );
    expect(Object.values(service.running).map((r) => r.health)).toEqual(['healthy', 'healthy', 'healthy']);
    expect(kit.errors).toEqual([]);
  });
});
