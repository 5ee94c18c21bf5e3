import { type RecordedEvent } from '@caas/event-store';
import { recordedAs } from '@caas/domain';
import { Column, Entity, type EntityManager, Index, PrimaryColumn } from 'typeorm';
import type { RepositoryEvent } from './repository.events';

@Entity({ name: 'repositories' })
@Index('repositories_tenant', ['tenantId'])
export class RepositoryRow {
  @PrimaryColumn('text', { name: 'repository_id' })
  repositoryId!: string;

  @Column('text', { name: 'tenant_id', nullable: true })
  tenantId!: string | null;

  @Column('text', { unique: true })
  repository!: string;

  @Column('text')
  visibility!: 'private' | 'tenant' | 'public';

  @Column('text')
  description!: string;

  @Column('text', { name: 'usage_guide' })
  usageGuide!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}

@Entity({ name: 'tags' })
export class TagRow {
  @PrimaryColumn('text', { name: 'repository_id' })
  repositoryId!: string;

  @PrimaryColumn('text')
  tag!: string;

  @Column('text')
  digest!: string;

  @Column('text', { name: 'media_type' })
  mediaType!: string;

  /** bigint: an image may pass 2 GiB; read back as a string, see toTagView. */
  @Column('bigint')
  size!: string;

  @Column('timestamptz', { name: 'pushed_at' })
  pushedAt!: Date;

  @Column('text', { name: 'pushed_by' })
  pushedBy!: string;
}

export const REPOSITORY_ENTITIES = [RepositoryRow, TagRow];

export async function projectRepositoryEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recordedAs<RepositoryEvent>(recorded);
  switch (event.type) {
    case 'RepositoryCreated': {
      const { repositoryId, tenantId, repository, visibility, description, usageGuide, at } = event.data;
      // A name removed and pushed again keeps its id: the old row (and tags) went with RepositoryRemoved.
      const row = { repositoryId, tenantId, repository, visibility, description, usageGuide };
      await manager.upsert(RepositoryRow, { ...row, createdAt: new Date(at), updatedAt: new Date(at) }, [
        'repositoryId',
      ]);
      return;
    }
    case 'RepositoryUpdated': {
      const { repositoryId, visibility, description, usageGuide, at } = event.data;
      await manager.update(
        RepositoryRow,
        { repositoryId },
        { visibility, description, usageGuide, updatedAt: new Date(at) },
      );
      return;
    }
    case 'RepositoryRemoved':
      await manager.delete(TagRow, { repositoryId: event.data.repositoryId });
      await manager.delete(RepositoryRow, { repositoryId: event.data.repositoryId });
      return;
    case 'ImagePushed': {
      const { repositoryId, tag, digest, mediaType, size, pushedAt, pushedBy } = event.data;
      const row = { repositoryId, tag, digest, mediaType, size: String(size), pushedAt: new Date(pushedAt), pushedBy };
      await manager.upsert(TagRow, row, ['repositoryId', 'tag']);
      await manager.update(RepositoryRow, { repositoryId }, { updatedAt: new Date(pushedAt) });
      return;
    }
    case 'ImageDeleted':
      await manager.delete(TagRow, { repositoryId: event.data.repositoryId, digest: event.data.digest });
      return;
  }
}
