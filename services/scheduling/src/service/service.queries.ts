import { type ServiceView, notFound } from '@caas/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type FindOptionsWhere } from 'typeorm';
import { ContainerRow } from '../container/container.projection';
import { ServiceRow } from './service.projection';

export interface ServiceFilter {
  readonly environmentId?: string;
}

/**
 * A tenant's services. Scoped to the caller's tenant: another tenant's service, or a
 * removed one, is not_found.
 */
@Injectable()
export class ServiceQueries {
  constructor(private readonly dataSource: DataSource) {}

  async get(tenantId: string, serviceId: string): Promise<ServiceView> {
    const row = await this.dataSource.manager.findOneBy(ServiceRow, { tenantId, serviceId, status: 'active' });
    if (!row) throw notFound('service', serviceId);
    const running = await this.runningReplicas(tenantId, [serviceId]);
    return toServiceView(row, running.get(serviceId) ?? 0);
  }

  async list(tenantId: string, filter: ServiceFilter = {}): Promise<ServiceView[]> {
    const where: FindOptionsWhere<ServiceRow> = { tenantId, status: 'active' };
    if (filter.environmentId !== undefined) where.environmentId = filter.environmentId;
    const rows = await this.dataSource.manager.find(ServiceRow, {
      where,
      order: { createdAt: 'ASC', serviceId: 'ASC' },
    });
    const running = await this.runningReplicas(
      tenantId,
      rows.map((row) => row.serviceId),
    );
    return rows.map((row) => toServiceView(row, running.get(row.serviceId) ?? 0));
  }

  /**
   * Counted from the containers table rather than kept as a counter: it is always
   * what the containers say, and a redelivered event cannot count twice.
   */
  private async runningReplicas(tenantId: string, serviceIds: string[]): Promise<Map<string, number>> {
    if (serviceIds.length === 0) return new Map();
    const rows = await this.dataSource
      .createQueryBuilder(ContainerRow, 'c')
      .select('c.serviceId', 'serviceId')
      .addSelect('count(*)::int', 'running')
      .where("c.tenantId = :tenantId and c.serviceId = any(:serviceIds) and c.status = 'running'", {
        tenantId,
        serviceIds,
      })
      .groupBy('c.serviceId')
      .getRawMany<{ serviceId: string; running: number }>();
    return new Map(rows.map((row) => [row.serviceId, row.running]));
  }
}

/** Image and resources are those of the rollout's revision: after a rollback, the restored one's. */
export function toServiceView(row: ServiceRow, running: number): ServiceView {
  const shown = row.revisions[row.rolloutRevision] ?? row.revisions[row.revision]!;
  return {
    serviceId: row.serviceId,
    name: row.name,
    environmentId: row.environmentId,
    image: shown.image,
    revision: row.revision,
    replicas: { desired: row.replicas, running },
    resources: shown.resources,
    strategy: row.strategy,
    update: { maxUnavailable: row.maxUnavailable, maxSurge: row.maxSurge },
    rollout: { status: row.rolloutStatus, revision: row.rolloutRevision },
    createdAt: row.createdAt.toISOString(),
  };
}
