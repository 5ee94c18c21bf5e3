import { type RepositoryView, type TagView, notFound } from '@caas/contracts';
import { DataSource, In } from 'typeorm';
import type { Visibility } from '../registry/registry-access';
import type { VisibilitySource } from '../registry/registry-token.service';
import { RepositoryRow, TagRow } from './repository.projection';

/**
 * Repositories as their tenant sees them, and as the token server needs them. Another
 * tenant's repository is not found, unless it is public (anyone may pull it, so anyone
 * may read what it is).
 */
export class RepositoryQueries implements VisibilitySource {
  constructor(
    private readonly dataSource: DataSource,
    /** `host:port` of the platform registry, as `docker pull` names it. */
    private readonly registryHost: string,
  ) {}

  async visibilityOf(repository: string): Promise<Visibility | undefined> {
    const row = await this.dataSource.manager.findOne(RepositoryRow, {
      where: { repository },
      select: { visibility: true },
    });
    return row?.visibility;
  }

  async list(tenantId: string): Promise<RepositoryView[]> {
    const rows = await this.dataSource.manager.find(RepositoryRow, {
      where: { tenantId },
      order: { repository: 'ASC' },
    });
    return this.views(rows);
  }

  async get(tenantId: string, repositoryId: string): Promise<RepositoryView> {
    const row = await this.dataSource.manager.findOneBy(RepositoryRow, { repositoryId });
    if (!row || (row.tenantId !== tenantId && row.visibility !== 'public')) throw notFound('Repository', repositoryId);
    const [view] = await this.views([row]);
    return view!;
  }

  private async views(rows: RepositoryRow[]): Promise<RepositoryView[]> {
    const tags = rows.length
      ? await this.dataSource.manager.find(TagRow, {
          where: { repositoryId: In(rows.map((row) => row.repositoryId)) },
          order: { pushedAt: 'DESC', tag: 'ASC' },
        })
      : [];
    return rows.map((row) => {
      const own = tags.filter((tag) => tag.repositoryId === row.repositoryId).map(toTagView);
      return {
        repositoryId: row.repositoryId,
        tenantId: row.tenantId,
        repository: row.repository,
        reference: `${this.registryHost}/${row.repository}`,
        visibility: row.visibility,
        description: row.description,
        usageGuide: row.usageGuide,
        tags: own,
        storageBytes: distinctImageBytes(own),
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      };
    });
  }
}

function toTagView(row: TagRow): TagView {
  const { tag, digest, mediaType, pushedBy } = row;
  return { tag, digest, mediaType, size: Number(row.size), pushedAt: row.pushedAt.toISOString(), pushedBy };
}

function distinctImageBytes(tags: readonly TagView[]): number {
  const byDigest = new Map(tags.map((tag) => [tag.digest, tag.size]));
  return [...byDigest.values()].reduce((sum, size) => sum + size, 0);
}
