import { CaasError, type ContainerView } from '@caas/contracts';
import { streamName } from '@caas/event-store';
import {
  type ContainerIds,
  type WorkloadTestBed,
  at,
  fact,
  newIds,
  openWorkloadTestBed,
  resources,
  scheduled,
} from '../read-model/workload-test-kit';
import { ContainerQueries } from './container.queries';

const containerStream = (containerId: string) => streamName('container', containerId);

/** As the scheduler records it: the policy's spec (platform labels only, env with a secret) and the tenant's labels. */
const specRecorded = (ids: ContainerIds) => ({
  type: 'ContainerSpecRecorded',
  data: {
    containerId: ids.containerId,
    at: at(0),
    spec: {
      name: `caas-${ids.tenantId.slice(0, 8)}-${ids.containerId}`,
      image: 'caas/busybox:1',
      env: { DATABASE_PASSWORD: 'never-in-the-read-model' },
      ports: [],
      resources,
      volumes: [],
      restartPolicy: 'on-failure',
      labels: { 'caas.managed': 'true', 'caas.tenant': ids.tenantId },
      network: `caas-tenant-${ids.tenantId}`,
    },
    labels: { team: 'web', tier: 'front' },
  },
});

describe('containers read model and ContainerQueries (real PostgreSQL)', () => {
  let bed: WorkloadTestBed;
  let queries: ContainerQueries;

  beforeAll(async () => {
    bed = await openWorkloadTestBed();
    queries = new ContainerQueries(bed.dataSource);
  });
  afterAll(() => bed?.close());

  async function schedule(ids: ContainerIds, withSpec = true) {
    await bed.append(containerStream(ids.containerId), [
      { type: 'PlacementDecided', data: { ...fact(ids, 0), strategy: 'spread', score: 1, candidates: 1, reason: 'x' } },
      { type: 'ContainerScheduled', data: scheduled(ids) },
      ...(withSpec ? [specRecorded(ids)] : []),
    ]);
  }

  const notFound = expect.objectContaining({ code: 'not_found' });

  it('projects a container through its lifecycle', async () => {
    const ids = newIds();
    await schedule(ids);
    const expected: ContainerView = {
      containerId: ids.containerId,
      environmentId: ids.environmentId,
      serviceId: null,
      replica: null,
      hostId: 'host-1',
      image: 'caas/busybox:1',
      status: 'scheduled',
      exitCode: null,
      ports: [{ containerPort: 80, protocol: 'tcp', hostPort: 30080, hostIp: '127.0.0.1' }],
      resources,
      restartPolicy: 'on-failure',
      labels: { team: 'web', tier: 'front' },
      lastPlacementFailure: null,
      createdAt: at(0),
      startedAt: null,
    };
    expect(await queries.get(ids.tenantId, ids.containerId)).toEqual(expected);

    const stream = containerStream(ids.containerId);
    await bed.append(stream, [{ type: 'ContainerStarted', data: fact(ids, 2) }]);
    expect(await queries.get(ids.tenantId, ids.containerId)).toMatchObject({ status: 'running', startedAt: at(2) });

    await bed.append(stream, [{ type: 'ContainerDied', data: { ...fact(ids, 3), exitCode: 137, oomKilled: true } }]);
    expect(await queries.get(ids.tenantId, ids.containerId)).toMatchObject({ status: 'exited', exitCode: 137 });

    await bed.append(stream, [
      { type: 'ContainerRestartRequested', data: fact(ids, 4) },
      { type: 'ContainerStarted', data: fact(ids, 5) },
      { type: 'ContainerStopRequested', data: { ...fact(ids, 6), reason: 'requested', timeoutSeconds: 10 } },
      { type: 'ContainerStopped', data: { ...fact(ids, 7), reason: 'requested' } },
    ]);
    expect(await queries.get(ids.tenantId, ids.containerId)).toMatchObject({
      status: 'stopped',
      exitCode: null,
      startedAt: at(5),
    });
    const [{ desired }] = await bed.dataSource.query(
      'select desired from scheduling.containers where container_id = $1',
      [ids.containerId],
    );
    expect(desired).toBe('stopped');

    await bed.append(stream, [
      { type: 'ContainerDeleteRequested', data: { ...fact(ids, 8), reason: 'requested', timeoutSeconds: null } },
      { type: 'ContainerRemoved', data: { ...fact(ids, 9), reason: 'requested' } },
    ]);
    await expect(queries.get(ids.tenantId, ids.containerId)).rejects.toEqual(notFound);
    expect(await queries.list(ids.tenantId)).toEqual([]);
    // The row is kept for history.
    const [row] = await bed.dataSource.query(
      'select status, desired from scheduling.containers where container_id = $1',
      [ids.containerId],
    );
    expect(row).toEqual({ status: 'removed', desired: 'deleted' });
  });

  it('never stores env, and defaults restart policy and labels without a recorded spec', async () => {
    const withSpec = newIds();
    await schedule(withSpec);
    const [{ row }] = await bed.dataSource.query(
      'select row_to_json(c)::text as row from scheduling.containers c where container_id = $1',
      [withSpec.containerId],
    );
    expect(row).not.toContain('never-in-the-read-model');
    expect(row).not.toContain('DATABASE_PASSWORD');

    const withoutSpec = newIds();
    await schedule(withoutSpec, false);
    expect(await queries.get(withoutSpec.tenantId, withoutSpec.containerId)).toMatchObject({
      restartPolicy: 'no',
      labels: {},
    });
  });

  it("another tenant's container is not_found and never listed", async () => {
    const ids = newIds();
    await schedule(ids);
    const other = newIds({ environmentId: ids.environmentId });
    const error = await queries.get(other.tenantId, ids.containerId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CaasError);
    expect(error).toEqual(notFound);
    await expect(queries.get(ids.tenantId, 'no-such-container')).rejects.toEqual(notFound);
    expect(await queries.list(other.tenantId, { environmentId: ids.environmentId })).toEqual([]);
  });

  it('lists by environment and service, and sums usage without removed or deleted containers', async () => {
    const tenant = newIds();
    const { tenantId, environmentId } = tenant;
    const otherEnvironment = newIds({ tenantId });
    const replica = newIds({ tenantId, environmentId, serviceId: 'svc-1', replica: 0 });
    const deleted = newIds({ tenantId, environmentId });
    const removed = newIds({ tenantId, environmentId });
    for (const ids of [tenant, otherEnvironment, replica, deleted, removed]) await schedule(ids);
    await bed.append(containerStream(deleted.containerId), [
      { type: 'ContainerDeleteRequested', data: { ...fact(deleted, 1), reason: 'requested', timeoutSeconds: null } },
    ]);
    await bed.append(containerStream(removed.containerId), [
      { type: 'ContainerRemoved', data: { ...fact(removed, 1), reason: 'requested' } },
    ]);

    const ids = (views: ContainerView[]) => views.map((view) => view.containerId).sort();
    expect(ids(await queries.list(tenantId))).toEqual(
      [tenant, otherEnvironment, replica, deleted].map((c) => c.containerId).sort(),
    );
    expect(ids(await queries.list(tenantId, { environmentId }))).toEqual(
      [tenant, replica, deleted].map((c) => c.containerId).sort(),
    );
    expect(await queries.list(tenantId, { serviceId: 'svc-1' })).toEqual([
      expect.objectContaining({ containerId: replica.containerId, serviceId: 'svc-1', replica: 0 }),
    ]);
    expect(await queries.usage(tenantId)).toEqual({ containers: 3, cpus: 1.5, memoryMb: 768 });
    expect(await queries.usage(newIds().tenantId)).toEqual({ containers: 0, cpus: 0, memoryMb: 0 });
  });

  it('records the last placement failure of an existing container, and ignores one without a row', async () => {
    const ids = newIds();
    await schedule(ids);
    const failed = (containerId: string) => ({
      type: 'PlacementFailed',
      data: {
        ...fact({ ...ids, containerId }, 1),
        strategy: 'spread',
        failedConstraint: 'cpus',
        reason: 'no host has 0.5 CPUs free',
      },
    });
    await bed.append(streamName('placement', ids.containerId), [failed(ids.containerId)]);
    expect(await queries.get(ids.tenantId, ids.containerId)).toMatchObject({
      lastPlacementFailure: 'no host has 0.5 CPUs free',
    });

    const pending = newIds({ tenantId: ids.tenantId });
    await bed.append(streamName('placement', pending.containerId), [failed(pending.containerId)]);
    await expect(queries.get(ids.tenantId, pending.containerId)).rejects.toEqual(notFound);
  });

  it('is idempotent: applying the whole stream again changes nothing', async () => {
    const ids = newIds();
    await schedule(ids);
    const stream = containerStream(ids.containerId);
    await bed.append(stream, [
      { type: 'ContainerStarted', data: fact(ids, 1) },
      { type: 'ContainerDied', data: { ...fact(ids, 2), exitCode: 1, oomKilled: false } },
    ]);
    const before = await queries.get(ids.tenantId, ids.containerId);
    expect(before).toMatchObject({ status: 'exited', exitCode: 1, startedAt: at(1) });

    await bed.redeliver(stream);
    expect(await queries.get(ids.tenantId, ids.containerId)).toEqual(before);
  });
});
