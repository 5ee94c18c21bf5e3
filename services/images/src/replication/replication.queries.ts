import type { ReplicationView } from '@caas/contracts';
import type { DataSource } from 'typeorm';
import { ReplicationRow } from './replication.projection';

/** A repository's replications as its tenant sees them (the handler has checked the repository is theirs). */
export class ReplicationQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(tenantId: string, repositoryId: string): Promise<ReplicationView[]> {
    const rows = await this.dataSource.manager.find(ReplicationRow, {
      where: { tenantId, repositoryId },
      order: { createdAt: 'ASC', replicationId: 'ASC' },
    });
    return rows.map(toView);
  }

  async get(tenantId: string, replicationId: string): Promise<ReplicationView | undefined> {
    const row = await this.dataSource.manager.findOneBy(ReplicationRow, { tenantId, replicationId });
    return row ? toView(row) : undefined;
  }
}

function toView(row: ReplicationRow): ReplicationView {
  const { replicationId, repositoryId, targetUrl, targetRepository } = row;
  return {
    replicationId,
    repositoryId,
    targetUrl,
    targetRepository,
    createdAt: row.createdAt.toISOString(),
    lastReplicated:
      row.lastTag && row.lastDigest && row.lastReplicatedAt
        ? { tag: row.lastTag, digest: row.lastDigest, at: row.lastReplicatedAt.toISOString() }
        : null,
    lastError:
      row.errorTag && row.errorReason && row.errorAt
        ? {
            tag: row.errorTag,
            reason: row.errorReason,
            at: row.errorAt.toISOString(),
            retryAt: row.errorRetryAt?.toISOString() ?? null,
          }
        : null,
  };
}
