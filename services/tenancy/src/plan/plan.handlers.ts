import { type PlanView, TENANCY } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter } from '@caas/messaging/src/rpc/rpc-server';
import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { TenantReader } from '../tenant/tenant-reader';
import { TenantQueries } from '../tenant/tenant.queries';
import { PlanQueries } from './plan.queries';

@Controller()
@UseFilters(RpcErrorFilter)
export class PlanHandlers {
  constructor(
    private readonly plans: PlanQueries,
    private readonly tenants: TenantQueries,
    private readonly reader: TenantReader,
  ) {}

  /** Public: the catalogue, for a pricing page and sign-up. */
  @MessagePattern(TENANCY.listPlans)
  listPlans(): Promise<PlanView[]> {
    return this.plans.list();
  }

  /**
   * The plan in force now for the tenant in scope (a change scheduled for later does
   * not count yet). Members and platform staff; other services ask with a tenant-scoped
   * credential before every quota check.
   */
  @MessagePattern(TENANCY.getQuotas)
  async getQuotas(@Meta() meta: RequestMeta): Promise<PlanView> {
    const { tenantId } = await this.reader.scope(meta, { platformStaffMayRead: true });
    return this.plans.get(await this.tenants.planIdInForce(tenantId));
  }
}
