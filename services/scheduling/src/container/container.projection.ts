import type {
  ContainerStatus,
  PublishedPort,
  RestartPolicy,
  SchedulingEvent,
  SchedulingEventData,
} from '@caas/contracts';
import type { RecordedEvent } from '@caas/event-store';
import { Column, Entity, type EntityManager, Index, PrimaryColumn } from 'typeorm';
import type { RuntimeContainerSpec } from '../runtime/runtime-spec';

/** What the tenant (or the platform) last asked of the container. */
export type DesiredState = 'running' | 'stopped' | 'deleted';

@Entity({ name: 'containers' })
@Index('containers_tenant_environment', ['tenantId', 'environmentId'])
@Index('containers_service_status', ['serviceId', 'status'])
@Index('containers_host', ['hostId'])
export class ContainerRow {
  @PrimaryColumn('text', { name: 'container_id' })
  containerId!: string;

  @Column('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text', { name: 'environment_id' })
  environmentId!: string;

  @Column('text', { name: 'service_id', nullable: true })
  serviceId!: string | null;

  @Column('int', { nullable: true })
  replica!: number | null;

  @Column('text', { name: 'host_id', nullable: true })
  hostId!: string | null;

  @Column('text')
  image!: string;

  /** Observed: scheduled until it first starts; removed rows are kept (history, billing). */
  @Column('text')
  status!: ContainerStatus;

  @Column('text')
  desired!: DesiredState;

  @Column('int', { name: 'exit_code', nullable: true })
  exitCode!: number | null;

  @Column('jsonb')
  ports!: PublishedPort[];

  @Column('double precision')
  cpus!: number;

  @Column('int', { name: 'memory_mb' })
  memoryMb!: number;

  @Column('int', { name: 'pids_limit' })
  pidsLimit!: number;

  @Column('text', { name: 'restart_policy' })
  restartPolicy!: RestartPolicy;

  /** The tenant's own labels only: the platform's `caas.*` labels are not the tenant's business. */
  @Column('jsonb')
  labels!: Record<string, string>;

  /** Why placement chose the host (ContainerScheduled's reason), for people. */
  @Column('text', { name: 'placement_reason', nullable: true })
  placementReason!: string | null;

  @Column('text', { name: 'last_placement_failure', nullable: true })
  lastPlacementFailure!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt!: Date | null;

  /** The container stream's revision last applied: a redelivered older event changes nothing. */
  @Column('bigint', { name: 'stream_revision' })
  streamRevision!: string;
}

/**
 * The spec event is private and owned by the container slice; only the two fields the
 * view shows are read here, so env (secrets) never reaches this table.
 */
interface ContainerSpecRecordedData {
  readonly containerId: string;
  readonly spec: Pick<RuntimeContainerSpec, 'restartPolicy' | 'labels'>;
  /** The tenant's own labels (the spec carries only the platform's). */
  readonly labels?: Readonly<Record<string, string>>;
}

type ProjectedEvent =
  | Extract<SchedulingEvent, { type: `Container${string}` }>
  | { type: 'ContainerSpecRecorded'; data: ContainerSpecRecordedData };

/** Platform labels (`caas.managed`, `caas.tenant`, …) are set by the policy, not by the tenant. */
const PLATFORM_LABEL_PREFIX = 'caas.';

export function tenantLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([key]) => !key.startsWith(PLATFORM_LABEL_PREFIX)));
}

/** Applies one `container-*` event; unknown types (PlacementDecided, later ones) are ignored. */
export async function projectContainerEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recorded as unknown as Omit<RecordedEvent, 'type' | 'data'> & ProjectedEvent;
  const streamRevision = event.revision.toString();
  const containerId = event.data.containerId;
  // Guarded by the stream revision: redelivered or older events leave the row as it is.
  const update = (changes: Parameters<EntityManager['update']>[2]) =>
    manager
      .createQueryBuilder()
      .update(ContainerRow)
      .set({ ...changes, streamRevision })
      .where('container_id = :containerId and stream_revision < :streamRevision', { containerId, streamRevision })
      .execute();
  switch (event.type) {
    case 'ContainerScheduled':
      await manager
        .createQueryBuilder()
        .insert()
        .into(ContainerRow)
        .values(scheduledRow(event.data, streamRevision))
        .orIgnore()
        .execute();
      return;
    case 'ContainerSpecRecorded':
      await update({
        restartPolicy: event.data.spec.restartPolicy,
        labels: tenantLabels(event.data.labels ?? {}),
      });
      return;
    case 'ContainerStartRequested':
    case 'ContainerRestartRequested':
      await update({ desired: 'running' });
      return;
    case 'ContainerStopRequested':
      await update({ desired: 'stopped' });
      return;
    case 'ContainerDeleteRequested':
      await update({ desired: 'deleted' });
      return;
    case 'ContainerStarted':
      await update({ status: 'running', startedAt: new Date(event.data.at), exitCode: null });
      return;
    case 'ContainerStopped':
      await update({ status: 'stopped' });
      return;
    case 'ContainerDied':
      await update({ status: 'exited', exitCode: event.data.exitCode });
      return;
    case 'ContainerRemoved':
      // Gone from its host: nothing is wanted of it any more either.
      await update({ status: 'removed', desired: 'deleted' });
      return;
  }
}

function scheduledRow(data: SchedulingEventData<'ContainerScheduled'>, streamRevision: string): ContainerRow {
  return {
    containerId: data.containerId,
    tenantId: data.tenantId,
    environmentId: data.environmentId,
    serviceId: data.serviceId,
    replica: data.replica,
    hostId: data.hostId,
    image: data.image,
    status: 'scheduled',
    desired: 'running',
    exitCode: null,
    ports: [...data.ports],
    cpus: data.resources.cpus,
    memoryMb: data.resources.memoryMb,
    pidsLimit: data.resources.pidsLimit,
    // Until (or unless: streams recorded before it existed) ContainerSpecRecorded says otherwise.
    restartPolicy: 'no',
    labels: {},
    placementReason: data.reason ?? null,
    lastPlacementFailure: null,
    createdAt: new Date(data.at),
    startedAt: null,
    streamRevision,
  };
}

/**
 * Applies one `placement-*` event. A PlacementFailed only annotates a container that
 * already has a row; a service's replica that was never placed is the service's
 * business (its view counts running replicas), not a row here.
 */
export async function projectPlacementEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  if (recorded.type !== 'PlacementFailed') return;
  const data = recorded.data as SchedulingEventData<'PlacementFailed'>;
  await manager
    .createQueryBuilder()
    .update(ContainerRow)
    .set({ lastPlacementFailure: data.reason })
    .where('container_id = :containerId', { containerId: data.containerId })
    .execute();
}
