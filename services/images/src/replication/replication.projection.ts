import type { RecordedEvent } from '@caas/event-store';
import { recordedAs } from '@caas/domain';
import { Column, Entity, type EntityManager, Index, PrimaryColumn } from 'typeorm';
import type { ReplicationEvent } from './replication.events';

/** A replication as its tenant lists it: where to, and how it is going. No credentials, ever. */
@Entity({ name: 'replications' })
@Index('replications_repository', ['repositoryId'])
export class ReplicationRow {
  @PrimaryColumn('text', { name: 'replication_id' })
  replicationId!: string;

  @Column('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text', { name: 'repository_id' })
  repositoryId!: string;

  @Column('text', { name: 'target_url' })
  targetUrl!: string;

  @Column('text', { name: 'target_repository' })
  targetRepository!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('text', { name: 'last_tag', nullable: true })
  lastTag!: string | null;

  @Column('text', { name: 'last_digest', nullable: true })
  lastDigest!: string | null;

  @Column('timestamptz', { name: 'last_replicated_at', nullable: true })
  lastReplicatedAt!: Date | null;

  @Column('text', { name: 'error_tag', nullable: true })
  errorTag!: string | null;

  @Column('text', { name: 'error_reason', nullable: true })
  errorReason!: string | null;

  @Column('timestamptz', { name: 'error_at', nullable: true })
  errorAt!: Date | null;

  @Column('timestamptz', { name: 'error_retry_at', nullable: true })
  errorRetryAt!: Date | null;
}

export const REPLICATION_ENTITIES = [ReplicationRow];

const NO_ERROR = { errorTag: null, errorReason: null, errorAt: null, errorRetryAt: null };

export async function projectReplicationEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recordedAs<ReplicationEvent>(recorded);
  switch (event.type) {
    case 'ReplicationCreated': {
      const { replicationId, tenantId, repositoryId, targetUrl, targetRepository, at } = event.data;
      // Created again after a removal: the same id, a fresh row.
      const row = { replicationId, tenantId, repositoryId, targetUrl, targetRepository, createdAt: new Date(at) };
      await manager.upsert(
        ReplicationRow,
        { ...row, lastTag: null, lastDigest: null, lastReplicatedAt: null, ...NO_ERROR },
        ['replicationId'],
      );
      return;
    }
    case 'ReplicationRemoved':
      await manager.delete(ReplicationRow, { replicationId: event.data.replicationId });
      return;
    case 'ImageReplicated': {
      const { replicationId, tag, digest, at } = event.data;
      await manager.update(
        ReplicationRow,
        { replicationId },
        { lastTag: tag, lastDigest: digest, lastReplicatedAt: new Date(at) },
      );
      // The tag that failed got through: the error is over.
      await manager.update(ReplicationRow, { replicationId, errorTag: tag }, NO_ERROR);
      return;
    }
    case 'ReplicationFailed': {
      const { replicationId, tag, reason, at, retryAt } = event.data;
      await manager.update(
        ReplicationRow,
        { replicationId },
        { errorTag: tag, errorReason: reason, errorAt: new Date(at), errorRetryAt: retryAt ? new Date(retryAt) : null },
      );
      return;
    }
  }
}
