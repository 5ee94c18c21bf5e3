import { type MarketImageView, type SubmissionStatus, type SubmissionView, notFound } from '@caas/contracts';
import { type DataSource, In, IsNull } from 'typeorm';
import { RepositoryRow, TagRow } from '../repository/repository.projection';
import { SubmissionRow } from './submission.projection';

/**
 * The market as everyone sees it — the platform's public repositories (`library/…`,
 * tenantId null), whatever published them — and the submissions, as their tenant or
 * a platform admin sees them.
 */
export class MarketQueries {
  constructor(
    private readonly dataSource: DataSource,
    /** `host:port` of the platform registry, as `docker pull` names it. */
    private readonly registryHost: string,
  ) {}

  /** A tenant's own submissions (tenantId), or every tenant's (undefined: a platform admin). */
  async submissions(tenantId: string | undefined, status?: SubmissionStatus): Promise<SubmissionView[]> {
    const rows = await this.dataSource.manager.find(SubmissionRow, {
      where: { ...(tenantId ? { tenantId } : {}), ...(status ? { status } : {}) },
      order: { submittedAt: 'DESC', submissionId: 'ASC' },
    });
    return rows.map(toSubmissionView);
  }

  async submission(submissionId: string): Promise<SubmissionView> {
    const row = await this.dataSource.manager.findOneBy(SubmissionRow, { submissionId });
    if (!row) throw notFound('Submission', submissionId);
    return toSubmissionView(row);
  }

  async images(): Promise<MarketImageView[]> {
    const rows = await this.dataSource.manager.find(RepositoryRow, {
      where: { tenantId: IsNull(), visibility: 'public' },
      order: { repository: 'ASC' },
    });
    return this.views(rows);
  }

  async image(repositoryId: string): Promise<MarketImageView> {
    const row = await this.dataSource.manager.findOneBy(RepositoryRow, {
      repositoryId,
      tenantId: IsNull(),
      visibility: 'public',
    });
    if (!row) throw notFound('Market image', repositoryId);
    const [view] = await this.views([row]);
    return view!;
  }

  private async views(rows: RepositoryRow[]): Promise<MarketImageView[]> {
    const tags = rows.length
      ? await this.dataSource.manager.find(TagRow, {
          where: { repositoryId: In(rows.map((row) => row.repositoryId)) },
          order: { pushedAt: 'DESC', tag: 'ASC' },
        })
      : [];
    return rows.map((row) => {
      const reference = `${this.registryHost}/${row.repository}`;
      return {
        repositoryId: row.repositoryId,
        repository: row.repository,
        reference,
        description: row.description,
        usageGuide: row.usageGuide,
        tags: tags
          .filter((tag) => tag.repositoryId === row.repositoryId)
          .map((tag) => ({
            tag: tag.tag,
            digest: tag.digest,
            size: Number(tag.size),
            publishedAt: tag.pushedAt.toISOString(),
            pull: `${reference}:${tag.tag}`,
          })),
        updatedAt: row.updatedAt.toISOString(),
      };
    });
  }
}

function toSubmissionView(row: SubmissionRow): SubmissionView {
  return {
    submissionId: row.submissionId,
    tenantId: row.tenantId,
    repositoryId: row.repositoryId,
    repository: row.repository,
    tag: row.tag,
    digest: row.digest,
    marketRepository: row.marketRepository,
    description: row.description,
    usageGuide: row.usageGuide,
    status: row.status,
    submittedBy: row.submittedBy,
    submittedAt: row.submittedAt.toISOString(),
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    reason: row.reason,
    marketRepositoryId: row.marketRepositoryId,
  };
}
