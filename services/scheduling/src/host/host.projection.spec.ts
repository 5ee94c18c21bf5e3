import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import { type EventStore, PostgresEventStore, type RecordedEvent } from '@caas/event-store';
import type { ReadModelConsumer } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { type HostCommand, hostDecider } from './host.decider';
import { hostStream } from './host.events';
import {
  findHost,
  openSchedulingDatabase,
  projectHostEvent,
  startHostReadModel,
  watchedHosts,
} from './host.projection';

const url = process.env.TEST_DATABASE_URL;
if (!url) throw new Error('TEST_DATABASE_URL is not set: start the infrastructure with `npm run infra:up`');

const admin = ['platform-admin'];
const context = () => {
  const correlationId = randomUUID();
  return { tenantId: null, actor: SYSTEM_ACTOR, correlationId, causationId: correlationId };
};

describe('hosts read model (real PostgreSQL)', () => {
  let store: EventStore;
  let dataSource: DataSource;
  let readModel: ReadModelConsumer;

  beforeAll(async () => {
    store = await PostgresEventStore.connect({ connectionString: url });
    // Instances start at once: the advisory lock makes their migrations take turns.
    const [first, second] = await Promise.all([openSchedulingDatabase(url), openSchedulingDatabase(url)]);
    await second.destroy();
    dataSource = first;
    readModel = await startHostReadModel(store, dataSource);
  });
  afterAll(async () => {
    await readModel?.stop();
    await dataSource?.destroy();
    await store?.close();
  });

  async function run(hostId: string, command: HostCommand) {
    await handleCommand(store, hostDecider, hostStream(hostId), command, context());
    const events = await streamOf(hostId);
    await readModel.waitFor(events[events.length - 1]!.position);
  }

  async function streamOf(hostId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of store.readStream(hostStream(hostId))) events.push(event);
    return events;
  }

  const at = (seconds: number) => new Date(Date.UTC(2026, 10, 22, 10, 0, seconds)).toISOString();
  const register = (hostId: string, extra: Partial<HostCommand> = {}): HostCommand => ({
    kind: 'RegisterHost',
    hostId,
    roles: admin,
    endpoint: 'unix:///run/test.sock',
    labels: { zone: 'eu-1a' },
    environmentId: 'env-1',
    dedicatedTenantId: 'tenant-1',
    capacity: { cpus: 4, memoryMb: 8192 },
    at: at(0),
    ...(extra as object),
  });

  it('projects a host through its lifecycle: registered, down, up, drained, down, up, removed', async () => {
    const hostId = `test-${randomUUID()}`;
    await run(hostId, register(hostId));
    expect(await findHost(dataSource, hostId)).toEqual({
      hostId,
      endpoint: 'unix:///run/test.sock',
      environmentId: 'env-1',
      labels: { zone: 'eu-1a' },
      dedicatedTenantId: 'tenant-1',
      status: 'up',
      drained: false,
      capacityCpus: 4,
      capacityMemoryMb: 8192,
      lastSeenAt: new Date(at(0)),
      registeredAt: new Date(at(0)),
      revision: '0',
    });
    expect(await watchedHosts(dataSource)).toContainEqual({ hostId, endpoint: 'unix:///run/test.sock', status: 'up' });

    await run(hostId, { kind: 'MarkHostDown', hostId, lastSeenAt: at(1), ttlMs: 3_000, at: at(5) });
    expect(await findHost(dataSource, hostId)).toMatchObject({ status: 'down', lastSeenAt: new Date(at(1)) });

    await run(hostId, { kind: 'MarkHostUp', hostId, at: at(6) });
    expect(await findHost(dataSource, hostId)).toMatchObject({ status: 'up', lastSeenAt: new Date(at(6)) });

    await run(hostId, { kind: 'DrainHost', hostId, roles: admin, at: at(7) });
    expect(await findHost(dataSource, hostId)).toMatchObject({ status: 'draining', drained: true });

    // A drained host that goes down and comes back is draining again, not up.
    await run(hostId, { kind: 'MarkHostDown', hostId, lastSeenAt: at(8), ttlMs: 3_000, at: at(12) });
    expect(await findHost(dataSource, hostId)).toMatchObject({ status: 'down' });
    await run(hostId, { kind: 'MarkHostUp', hostId, at: at(13) });
    expect(await findHost(dataSource, hostId)).toMatchObject({ status: 'draining', revision: '5' });

    await run(hostId, { kind: 'RemoveHost', hostId, roles: admin, containers: 0, at: at(14) } as HostCommand);
    expect(await findHost(dataSource, hostId)).toMatchObject({ status: 'removed', revision: '6' });
    expect((await watchedHosts(dataSource)).map((host) => host.hostId)).not.toContain(hostId);
  });

  it('a drained host that is down stays down until it answers', async () => {
    const hostId = `test-${randomUUID()}`;
    await run(hostId, register(hostId, { dedicatedTenantId: undefined } as Partial<HostCommand>));
    await run(hostId, { kind: 'MarkHostDown', hostId, lastSeenAt: at(1), ttlMs: 3_000, at: at(5) });
    await run(hostId, { kind: 'DrainHost', hostId, roles: admin, at: at(6) });
    expect(await findHost(dataSource, hostId)).toMatchObject({
      status: 'down',
      drained: true,
      dedicatedTenantId: null,
    });
  });

  it('never lets an older event overwrite a newer one (applied again, or out of order)', async () => {
    const hostId = `test-${randomUUID()}`;
    await run(hostId, register(hostId));
    await run(hostId, { kind: 'MarkHostDown', hostId, lastSeenAt: at(1), ttlMs: 3_000, at: at(5) });
    await run(hostId, { kind: 'MarkHostUp', hostId, at: at(6) });
    const events = await streamOf(hostId);
    await dataSource.transaction(async (manager) => {
      for (const event of events) await projectHostEvent(event, manager);
    });
    expect(await findHost(dataSource, hostId)).toMatchObject({ status: 'up', revision: '2' });
  });
});
