import { randomUUID } from 'node:crypto';
import type { HostView, SchedulingEventData } from '@caas/contracts';
import { streamName } from '@caas/event-store';
import type { ReadModelConsumer } from '@caas/read-model';
import {
  type WorkloadTestBed,
  at,
  fact,
  newIds,
  openWorkloadTestBed,
  scheduled,
} from '../read-model/workload-test-kit';
import { startHostReadModel } from './host.projection';
import { HostQueries } from './host.queries';

describe('HostQueries (real PostgreSQL)', () => {
  let bed: WorkloadTestBed;
  let hosts: ReadModelConsumer;
  let queries: HostQueries;

  beforeAll(async () => {
    bed = await openWorkloadTestBed();
    hosts = await startHostReadModel(bed.store, bed.dataSource);
    queries = new HostQueries(bed.dataSource);
  });
  afterAll(async () => {
    await hosts?.stop();
    await bed?.close();
  });

  async function hostEvents(hostId: string, events: { type: string; data: unknown }[]) {
    const { position } = await bed.store.appendToStream(
      streamName('host', hostId),
      events.map(({ type, data }) => ({ id: randomUUID(), type, data })),
    );
    await hosts.waitFor(position);
  }

  const capacity = { cpus: 8, memoryMb: 16384 };
  const registered = (hostId: string): SchedulingEventData<'HostRegistered'> => ({
    tenantId: null,
    hostId,
    capacity,
    at: at(0),
    endpoint: 'unix:///run/test.sock',
    environmentId: 'env-1',
    labels: { zone: 'eu-1a' },
    dedicatedTenantId: null,
  });

  it('answers a host with what its containers that are not removed reserve', async () => {
    const hostId = `test-${randomUUID()}`;
    await hostEvents(hostId, [{ type: 'HostRegistered', data: registered(hostId) }]);
    const running = newIds({ hostId });
    const deleting = newIds({ hostId });
    const removed = newIds({ hostId });
    for (const ids of [running, deleting, removed]) {
      await bed.append(streamName('container', ids.containerId), [
        { type: 'ContainerScheduled', data: scheduled(ids) },
      ]);
    }
    // Being deleted still holds its resources on the host until it is removed.
    await bed.append(streamName('container', deleting.containerId), [
      { type: 'ContainerDeleteRequested', data: { ...fact(deleting, 1), reason: 'requested', timeoutSeconds: null } },
    ]);
    await bed.append(streamName('container', removed.containerId), [
      { type: 'ContainerRemoved', data: { ...fact(removed, 1), reason: 'requested' } },
    ]);

    const expected: HostView = {
      hostId,
      endpoint: 'unix:///run/test.sock',
      environmentId: 'env-1',
      labels: { zone: 'eu-1a' },
      dedicatedTenantId: null,
      status: 'up',
      capacity,
      allocated: { cpus: 1, memoryMb: 512 },
      containers: 2,
      lastSeenAt: at(0),
    };
    expect(await queries.get(hostId)).toEqual(expected);
    expect(await queries.list()).toContainEqual(expected);
  });

  it('an empty host allocates nothing; a removed host is answered by id but not listed', async () => {
    const hostId = `test-${randomUUID()}`;
    await hostEvents(hostId, [{ type: 'HostRegistered', data: registered(hostId) }]);
    expect(await queries.get(hostId)).toMatchObject({ allocated: { cpus: 0, memoryMb: 0 }, containers: 0 });

    await hostEvents(hostId, [
      { type: 'HostDrained', data: { tenantId: null, hostId, capacity, at: at(1) } },
      { type: 'HostRemoved', data: { tenantId: null, hostId, capacity, at: at(2) } },
    ]);
    expect(await queries.get(hostId)).toMatchObject({ status: 'removed' });
    expect((await queries.list()).map((host) => host.hostId)).not.toContain(hostId);
    await expect(queries.get(`test-${randomUUID()}`)).rejects.toEqual(expect.objectContaining({ code: 'not_found' }));
  });
});
