import { type ContainerView, notFound } from '@caas/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type FindOptionsWhere, Not } from 'typeorm';
import { ContainerRow } from './container.projection';

export interface ContainerFilter {
  readonly environmentId?: string;
  readonly serviceId?: string;
}

/** What a tenant's containers reserve, for its quota. */
export interface ContainerUsage {
  readonly containers: number;
  readonly cpus: number;
  readonly memoryMb: number;
}

/**
 * A tenant's containers. Every query is scoped to the caller's tenant: another
 * tenant's container is not_found, exactly like one that never existed.
 */
@Injectable()
export class ContainerQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Removed containers are not_found: they are kept in the table for history only. */
  async get(tenantId: string, containerId: string): Promise<ContainerView> {
    const row = await this.dataSource.manager.findOneBy(ContainerRow, {
      tenantId,
      containerId,
      status: Not('removed'),
    });
    if (!row) throw notFound('container', containerId);
    return toContainerView(row);
  }

  async list(tenantId: string, filter: ContainerFilter = {}): Promise<ContainerView[]> {
    const where: FindOptionsWhere<ContainerRow> = { tenantId, status: Not('removed') };
    if (filter.environmentId !== undefined) where.environmentId = filter.environmentId;
    if (filter.serviceId !== undefined) where.serviceId = filter.serviceId;
    const rows = await this.dataSource.manager.find(ContainerRow, {
      where,
      order: { createdAt: 'ASC', containerId: 'ASC' },
    });
    return rows.map(toContainerView);
  }

  /**
   * Containers that count against the quota: not removed and not being deleted (a
   * deleted container still on its host no longer belongs to the tenant's budget).
   */
  async usage(tenantId: string): Promise<ContainerUsage> {
    const row = await this.dataSource
      .createQueryBuilder(ContainerRow, 'c')
      .select('count(*)::int', 'containers')
      .addSelect('coalesce(sum(c.cpus), 0)::float8', 'cpus')
      .addSelect('coalesce(sum(c.memoryMb), 0)::int', 'memoryMb')
      .where("c.tenantId = :tenantId and c.status <> 'removed' and c.desired <> 'deleted'", { tenantId })
      .getRawOne<ContainerUsage>();
    return { containers: row?.containers ?? 0, cpus: row?.cpus ?? 0, memoryMb: row?.memoryMb ?? 0 };
  }
}

export function toContainerView(row: ContainerRow): ContainerView {
  return {
    containerId: row.containerId,
    environmentId: row.environmentId,
    serviceId: row.serviceId,
    replica: row.replica,
    hostId: row.hostId,
    image: row.image,
    status: row.status,
    exitCode: row.exitCode,
    ports: row.ports,
    resources: { cpus: row.cpus, memoryMb: row.memoryMb, pidsLimit: row.pidsLimit },
    restartPolicy: row.restartPolicy,
    labels: row.labels,
    lastPlacementFailure: row.lastPlacementFailure,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
  };
}
