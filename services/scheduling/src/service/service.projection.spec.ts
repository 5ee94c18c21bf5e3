import { randomUUID } from 'node:crypto';
import type { SchedulingEventData, ServiceView } from '@caas/contracts';
import { streamName } from '@caas/event-store';
import {
  type WorkloadTestBed,
  at,
  fact,
  newIds,
  openWorkloadTestBed,
  scheduled,
} from '../read-model/workload-test-kit';
import { ServiceQueries } from './service.queries';

const v1 = { cpus: 0.5, memoryMb: 256, pidsLimit: 512 };
const v2 = { cpus: 1, memoryMb: 512, pidsLimit: 512 };

interface ServiceIds {
  readonly tenantId: string;
  readonly environmentId: string;
  readonly serviceId: string;
}

const newService = (extra: Partial<ServiceIds> = {}): ServiceIds => ({
  tenantId: randomUUID(),
  environmentId: randomUUID(),
  serviceId: randomUUID(),
  ...extra,
});

const serviceFact = (ids: ServiceIds, seconds: number) => ({ ...ids, at: at(seconds) });

function created(ids: ServiceIds): SchedulingEventData<'ServiceCreated'> {
  return {
    ...serviceFact(ids, 0),
    name: 'web',
    image: 'web:1',
    replicas: 2,
    resources: v1,
    strategy: 'spread',
    revision: 1,
    template: {
      image: 'web:1',
      resources: { cpus: 0.5, memoryMb: 256 },
      env: { SECRET: 'never-in-the-read-model' },
    } as SchedulingEventData<'ServiceCreated'>['template'],
    update: { maxUnavailable: 0, maxSurge: 1 },
  };
}

function updated(ids: ServiceIds, seconds: number, revision: number): SchedulingEventData<'ServiceUpdated'> {
  return {
    ...serviceFact(ids, seconds),
    revision,
    previousRevision: revision - 1,
    image: `web:${revision}`,
    resources: v2,
    maxUnavailable: 1,
    maxSurge: 2,
    template: {
      image: `web:${revision}`,
      resources: { cpus: 1, memoryMb: 512 },
    } as SchedulingEventData<'ServiceUpdated'>['template'],
  };
}

describe('services read model and ServiceQueries (real PostgreSQL)', () => {
  let bed: WorkloadTestBed;
  let queries: ServiceQueries;

  beforeAll(async () => {
    bed = await openWorkloadTestBed();
    queries = new ServiceQueries(bed.dataSource);
  });
  afterAll(() => bed?.close());

  const append = (ids: ServiceIds, events: { type: string; data: unknown }[]) =>
    bed.append(streamName('service', ids.serviceId), events);

  /** A replica of the service, in the containers table; `started` makes it running. */
  async function replica(ids: ServiceIds, slot: number, started: boolean) {
    const container = newIds({ ...ids, replica: slot });
    const events = [{ type: 'ContainerScheduled', data: scheduled(container) }];
    if (started) events.push({ type: 'ContainerStarted', data: fact(container, 1) as never });
    await bed.append(streamName('container', container.containerId), events);
    return container;
  }

  const notFound = expect.objectContaining({ code: 'not_found' });

  it('projects create, scale, update and rollout completion, counting running replicas from containers', async () => {
    const ids = newService();
    await append(ids, [{ type: 'ServiceCreated', data: created(ids) }]);
    const expected: ServiceView = {
      serviceId: ids.serviceId,
      name: 'web',
      environmentId: ids.environmentId,
      image: 'web:1',
      revision: 1,
      replicas: { desired: 2, running: 0 },
      resources: v1,
      strategy: 'spread',
      update: { maxUnavailable: 0, maxSurge: 1 },
      rollout: { status: 'idle', revision: 1 },
      createdAt: at(0),
    };
    expect(await queries.get(ids.tenantId, ids.serviceId)).toEqual(expected);

    await replica(ids, 0, true);
    await replica(ids, 1, false);
    const stopped = await replica(ids, 2, true);
    await bed.append(streamName('container', stopped.containerId), [
      { type: 'ContainerStopped', data: { ...fact(stopped, 2), reason: 'scaled-down' } },
    ]);
    await append(ids, [
      {
        type: 'ServiceScaled',
        data: { ...serviceFact(ids, 1), previousReplicas: 2, replicas: 3, resources: v1 },
      },
      // Private replica facts live in the service stream too: they change nothing here.
      { type: 'ReplicaStarted', data: { serviceId: ids.serviceId, replicaId: 'r', revision: 1, at: at(1) } },
    ]);
    expect(await queries.get(ids.tenantId, ids.serviceId)).toEqual({
      ...expected,
      replicas: { desired: 3, running: 1 },
    });

    await append(ids, [{ type: 'ServiceUpdated', data: updated(ids, 2, 2) }]);
    expect(await queries.get(ids.tenantId, ids.serviceId)).toMatchObject({
      image: 'web:2',
      resources: v2,
      revision: 2,
      update: { maxUnavailable: 1, maxSurge: 2 },
      rollout: { status: 'rolling', revision: 2 },
    });

    await append(ids, [{ type: 'RolloutCompleted', data: { ...serviceFact(ids, 3), revision: 2 } }]);
    expect(await queries.get(ids.tenantId, ids.serviceId)).toMatchObject({
      image: 'web:2',
      revision: 2,
      rollout: { status: 'idle', revision: 2 },
    });
  });

  it("a rollback shows the restored revision's image and resources, rolled-back until it completes", async () => {
    const ids = newService();
    await append(ids, [
      { type: 'ServiceCreated', data: created(ids) },
      { type: 'ServiceUpdated', data: updated(ids, 1, 2) },
      {
        type: 'RolloutRolledBack',
        data: {
          ...serviceFact(ids, 2),
          failedRevision: 2,
          restoredRevision: 1,
          reason: 'health check failed',
          failedReplicaId: 'r-1',
        },
      },
    ]);
    expect(await queries.get(ids.tenantId, ids.serviceId)).toMatchObject({
      image: 'web:1',
      resources: v1,
      revision: 2,
      rollout: { status: 'rolled-back', revision: 1 },
    });

    await append(ids, [{ type: 'RolloutCompleted', data: { ...serviceFact(ids, 3), revision: 1 } }]);
    expect(await queries.get(ids.tenantId, ids.serviceId)).toMatchObject({
      image: 'web:1',
      rollout: { status: 'idle', revision: 1 },
    });

    // The next update builds on the latest revision: 3.
    await append(ids, [{ type: 'ServiceUpdated', data: updated(ids, 4, 3) }]);
    expect(await queries.get(ids.tenantId, ids.serviceId)).toMatchObject({
      image: 'web:3',
      revision: 3,
      rollout: { status: 'rolling', revision: 3 },
    });
    const [{ row }] = await bed.dataSource.query(
      'select row_to_json(s)::text as row from scheduling.services s where service_id = $1',
      [ids.serviceId],
    );
    expect(row).not.toContain('never-in-the-read-model');
  });

  it("a removed service and another tenant's are not_found and never listed", async () => {
    const ids = newService();
    const removed = newService({ tenantId: ids.tenantId, environmentId: ids.environmentId });
    const elsewhere = newService({ tenantId: ids.tenantId });
    for (const service of [ids, removed, elsewhere])
      await append(service, [{ type: 'ServiceCreated', data: created(service) }]);
    await append(removed, [{ type: 'ServiceRemoved', data: serviceFact(removed, 1) }]);

    await expect(queries.get(ids.tenantId, removed.serviceId)).rejects.toEqual(notFound);
    await expect(queries.get(randomUUID(), ids.serviceId)).rejects.toEqual(notFound);
    expect((await queries.list(ids.tenantId)).map((view) => view.serviceId).sort()).toEqual(
      [ids.serviceId, elsewhere.serviceId].sort(),
    );
    expect((await queries.list(ids.tenantId, { environmentId: ids.environmentId })).map((v) => v.serviceId)).toEqual([
      ids.serviceId,
    ]);
    expect(await queries.list(randomUUID())).toEqual([]);
  });

  it('is idempotent: applying the whole stream again changes nothing', async () => {
    const ids = newService();
    await append(ids, [
      { type: 'ServiceCreated', data: created(ids) },
      { type: 'ServiceUpdated', data: updated(ids, 1, 2) },
      { type: 'RolloutCompleted', data: { ...serviceFact(ids, 2), revision: 2 } },
      { type: 'ServiceScaled', data: { ...serviceFact(ids, 3), previousReplicas: 2, replicas: 5, resources: v2 } },
    ]);
    const before = await queries.get(ids.tenantId, ids.serviceId);
    expect(before).toMatchObject({ replicas: { desired: 5 }, rollout: { status: 'idle', revision: 2 } });

    await bed.redeliver(streamName('service', ids.serviceId));
    expect(await queries.get(ids.tenantId, ids.serviceId)).toEqual(before);
  });
});
