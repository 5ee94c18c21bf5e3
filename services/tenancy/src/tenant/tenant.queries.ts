import { type TenantRole, type TenantView, notFound } from '@caas/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { MemberRow, TenantPlanChangeRow, TenantRow } from './tenant.projection';

interface TenantViewRow {
  tenantId: string;
  name: string;
  status: TenantView['status'];
  createdAt: Date;
  planId: string;
  role?: TenantRole;
}

/** The plan in force at `:now` for the tenant aliased `t`: the latest change that has taken effect. */
export function planInForceSubquery(sub: SelectQueryBuilder<ObjectLiteral>): SelectQueryBuilder<ObjectLiteral> {
  return sub
    .select('pc.planId')
    .from(TenantPlanChangeRow, 'pc')
    .where('pc.tenantId = t.tenantId')
    .andWhere('pc.effectiveAt <= :now')
    .orderBy('pc.effectiveAt', 'DESC')
    .addOrderBy('pc.revision', 'DESC')
    .limit(1);
}

@Injectable()
export class TenantQueries {
  constructor(private readonly dataSource: DataSource) {}

  async get(tenantId: string, role: TenantRole | undefined): Promise<TenantView> {
    const row = await this.views().where('t.tenantId = :tenantId', { tenantId }).getRawOne<TenantViewRow>();
    if (!row) throw notFound('tenant', tenantId);
    return toView({ ...row, role });
  }

  /** The live tenants a user is a member of, with their role in each. */
  async listForUser(userId: string): Promise<TenantView[]> {
    const rows = await this.views()
      .addSelect('m.role', 'role')
      .innerJoin(MemberRow, 'm', 'm.tenantId = t.tenantId AND m.userId = :userId', { userId })
      .where("t.status <> 'deleted'")
      .orderBy('t.createdAt')
      .getRawMany<TenantViewRow>();
    return rows.map(toView);
  }

  /** Every tenant, deleted ones included: for platform staff. */
  async listAll(): Promise<TenantView[]> {
    return (await this.views().orderBy('t.createdAt').getRawMany<TenantViewRow>()).map(toView);
  }

  /** The plan in force now, for a live tenant. */
  async planIdInForce(tenantId: string): Promise<string> {
    return (await this.get(tenantId, undefined)).planId;
  }

  private views(): SelectQueryBuilder<TenantRow> {
    return this.dataSource
      .createQueryBuilder(TenantRow, 't')
      .select('t.tenantId', 'tenantId')
      .addSelect('t.name', 'name')
      .addSelect('t.status', 'status')
      .addSelect('t.createdAt', 'createdAt')
      .addSelect(planInForceSubquery, 'planId')
      .setParameter('now', new Date());
  }
}

function toView({ tenantId, name, status, createdAt, planId, role }: TenantViewRow): TenantView {
  return { tenantId, name, status, planId, createdAt: createdAt.toISOString(), ...(role ? { role } : {}) };
}
