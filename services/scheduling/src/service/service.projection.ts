import {
  CONTAINER_DEFAULTS,
  type ContainerResources,
  type PlacementStrategy,
  type RolloutStatus,
  type SchedulingEventData,
} from '@caas/contracts';
import type { RecordedEvent } from '@caas/event-store';
import { Column, Entity, type EntityManager, Index, PrimaryColumn } from 'typeorm';
import type { ServiceEvent } from './service.events';

/** What the view shows of one template revision; the rest of the template (env!) stays in the events. */
export interface RevisionSummary {
  readonly image: string;
  readonly resources: ContainerResources;
}

@Entity({ name: 'services' })
@Index('services_tenant_environment', ['tenantId', 'environmentId'])
export class ServiceRow {
  @PrimaryColumn('text', { name: 'service_id' })
  serviceId!: string;

  @Column('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text', { name: 'environment_id' })
  environmentId!: string;

  @Column('text')
  name!: string;

  /** Removed rows are kept (they are not_found to queries). */
  @Column('text')
  status!: 'active' | 'removed';

  /** The latest template revision: the one the next update builds on, also after a rollback. */
  @Column('int')
  revision!: number;

  /** Every revision's image and resources, keyed by revision number. */
  @Column('jsonb')
  revisions!: Record<string, RevisionSummary>;

  /** Desired replicas. */
  @Column('int')
  replicas!: number;

  @Column('text')
  strategy!: PlacementStrategy;

  @Column('int', { name: 'max_unavailable' })
  maxUnavailable!: number;

  @Column('int', { name: 'max_surge' })
  maxSurge!: number;

  @Column('text', { name: 'rollout_status' })
  rolloutStatus!: RolloutStatus;

  /** The revision the replicas run or are moving to: its image and resources are the view's. */
  @Column('int', { name: 'rollout_revision' })
  rolloutRevision!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  /** The service stream's revision last applied: a redelivered older event changes nothing. */
  @Column('bigint', { name: 'stream_revision' })
  streamRevision!: string;
}

/**
 * Applies one `service-*` event. The private Replica* facts are ignored: running
 * replicas are counted from the containers table when queried.
 */
export async function projectServiceEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recorded as unknown as Omit<RecordedEvent, 'type' | 'data'> & ServiceEvent;
  const streamRevision = event.revision.toString();
  const serviceId = event.data.serviceId;
  const update = (changes: Parameters<EntityManager['update']>[2], parameters: Record<string, unknown> = {}) =>
    manager
      .createQueryBuilder()
      .update(ServiceRow)
      .set({ ...changes, streamRevision })
      .where('service_id = :serviceId and stream_revision < :streamRevision', { serviceId, streamRevision })
      .setParameters(parameters)
      .execute();
  switch (event.type) {
    case 'ServiceCreated':
      await manager
        .createQueryBuilder()
        .insert()
        .into(ServiceRow)
        .values(createdRow(event.data, streamRevision))
        .orIgnore()
        .execute();
      return;
    case 'ServiceScaled':
      await update({ replicas: event.data.replicas });
      return;
    case 'ServiceUpdated': {
      const { revision, image, resources, maxUnavailable, maxSurge } = event.data;
      const summary: RevisionSummary = { image, resources };
      await update(
        {
          revision,
          revisions: () => 'revisions || cast(:added as jsonb)',
          maxUnavailable,
          maxSurge,
          rolloutStatus: 'rolling',
          rolloutRevision: revision,
        },
        { added: JSON.stringify({ [revision]: summary }) },
      );
      return;
    }
    case 'RolloutCompleted':
      await update({ rolloutStatus: 'idle', rolloutRevision: event.data.revision });
      return;
    case 'RolloutRolledBack':
      // Shown as rolled-back until the rollback's own RolloutCompleted makes it idle.
      await update({ rolloutStatus: 'rolled-back', rolloutRevision: event.data.restoredRevision });
      return;
    case 'ServiceRemoved':
      await update({ status: 'removed', rolloutStatus: 'idle' });
      return;
  }
}

function createdRow(data: SchedulingEventData<'ServiceCreated'>, streamRevision: string): ServiceRow {
  const summary: RevisionSummary = { image: data.image, resources: data.resources };
  return {
    serviceId: data.serviceId,
    tenantId: data.tenantId,
    environmentId: data.environmentId,
    name: data.name,
    status: 'active',
    revision: data.revision,
    revisions: { [data.revision]: summary },
    replicas: data.replicas,
    strategy: data.strategy,
    // `update` was added to V1 compatibly: events recorded before it had the defaults.
    maxUnavailable: (data.update ?? CONTAINER_DEFAULTS.update).maxUnavailable,
    maxSurge: (data.update ?? CONTAINER_DEFAULTS.update).maxSurge,
    rolloutStatus: 'idle',
    rolloutRevision: data.revision,
    createdAt: new Date(data.at),
    streamRevision,
  };
}
