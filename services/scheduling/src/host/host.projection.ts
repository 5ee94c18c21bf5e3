import type { HostStatus } from '@caas/contracts';
import { type EventStore, type RecordedEvent } from '@caas/event-store';
import { ReadModelConsumer } from '@caas/read-model';
import { Column, type DataSource, Entity, type EntityManager, Index, Not, PrimaryColumn } from 'typeorm';
import type { HostEvent } from './host.events';

/** Checkpoint name; a new name (v2) rebuilds the read model from the first event. */
export const HOSTS_READ_MODEL = 'scheduling-hosts-v1';

@Entity({ name: 'hosts' })
@Index('hosts_environment', ['environmentId'])
export class HostRow {
  @PrimaryColumn('text', { name: 'host_id' })
  hostId!: string;

  @Column('text')
  endpoint!: string;

  @Column('text', { name: 'environment_id' })
  environmentId!: string;

  @Column('jsonb')
  labels!: Record<string, string>;

  @Column('text', { name: 'dedicated_tenant_id', nullable: true })
  dedicatedTenantId!: string | null;

  /** Removed, else down, else draining, else up (as `hostStatus` says of the aggregate). */
  @Column('text')
  status!: HostStatus;

  /** Kept apart from `status` so a drained host that goes down comes back as draining. */
  @Column('boolean')
  drained!: boolean;

  @Column('double precision', { name: 'capacity_cpus' })
  capacityCpus!: number;

  @Column('int', { name: 'capacity_memory_mb' })
  capacityMemoryMb!: number;

  /** Registration, the last heartbeat a HostDown reported, or the HostUp. */
  @Column('timestamptz', { name: 'last_seen_at', nullable: true })
  lastSeenAt!: Date | null;

  @Column('timestamptz', { name: 'registered_at' })
  registeredAt!: Date;

  /** The stream revision last applied: an older event never overwrites a newer one. */
  @Column('bigint')
  revision!: string;
}

type RecordedHostEvent = HostEvent extends infer E
  ? E extends HostEvent
    ? Omit<RecordedEvent, 'type' | 'data'> & E
    : never
  : never;

/** Applies one `host-*` event; unknown event types are ignored. */
export async function projectHostEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recorded as unknown as RecordedHostEvent;
  const revision = event.revision.toString();
  const hostId = event.data.hostId;
  const update = (changes: Parameters<EntityManager['update']>[2]) =>
    manager
      .createQueryBuilder()
      .update(HostRow)
      .set({ ...changes, revision })
      .where('host_id = :hostId and revision < :revision', { hostId, revision })
      .execute();
  switch (event.type) {
    case 'HostRegistered': {
      const { endpoint, environmentId, labels, dedicatedTenantId, capacity, at } = event.data;
      const row: HostRow = {
        hostId,
        endpoint,
        environmentId,
        labels,
        dedicatedTenantId,
        status: 'up',
        drained: false,
        capacityCpus: capacity.cpus,
        capacityMemoryMb: capacity.memoryMb,
        lastSeenAt: new Date(at),
        registeredAt: new Date(at),
        revision,
      };
      await manager.createQueryBuilder().insert().into(HostRow).values(row).orIgnore().execute();
      return;
    }
    case 'HostDown':
      await update({ status: 'down', lastSeenAt: new Date(event.data.lastSeenAt) });
      return;
    case 'HostUp':
      await update({
        status: () => "case when drained then 'draining' else 'up' end",
        lastSeenAt: new Date(event.data.at),
      });
      return;
    case 'HostDrained':
      await update({ drained: true, status: () => "case when status = 'down' then 'down' else 'draining' end" });
      return;
    case 'HostRemoved':
      await update({ status: 'removed' });
      return;
  }
}

/** What the heartbeat monitor needs of a host. */
export interface WatchedHost {
  readonly hostId: string;
  readonly endpoint: string;
  readonly status: HostStatus;
}

/** Every host that is not removed: the ones to heartbeat. */
export async function watchedHosts(dataSource: DataSource): Promise<WatchedHost[]> {
  const rows = await dataSource.getRepository(HostRow).find({
    where: { status: Not('removed') },
    select: { hostId: true, endpoint: true, status: true },
    order: { hostId: 'ASC' },
  });
  return rows.map(({ hostId, endpoint, status }) => ({ hostId, endpoint, status }));
}

export function findHost(dataSource: DataSource, hostId: string): Promise<HostRow | null> {
  return dataSource.getRepository(HostRow).findOneBy({ hostId });
}

export function startHostReadModel(
  store: EventStore,
  dataSource: DataSource,
  onError?: (error: unknown) => void,
): Promise<ReadModelConsumer> {
  return ReadModelConsumer.start(store, dataSource, {
    name: HOSTS_READ_MODEL,
    filter: { categories: ['host'] },
    handle: projectHostEvent,
    onError,
  });
}

/** Moved to `read-model/`, where every scheduling table is; kept here for existing imports. */
export { openSchedulingDatabase } from '../read-model/scheduling-database';
