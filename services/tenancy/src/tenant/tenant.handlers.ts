import {
  ChangePlanV1,
  CreateTenantV1,
  RenameTenantV1,
  SuspendTenantV1,
  TENANCY,
  type TenantView,
  forbidden,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DEFAULT_PLAN_ID } from '../plan/plan.catalogue';
import { callerOf, isPlatformStaff, userIdOf } from '../shared/caller';
import { newId } from '../shared/new-id';
import { tenantInScope } from '@caas/messaging/src/rpc/tenant-scope';
import { TenantCommands } from './tenant-commands';
import { TenantReader } from './tenant-reader';
import { TenantQueries } from './tenant.queries';

type TenantRef = { tenantId: string };

@Controller()
@UseFilters(RpcErrorFilter)
export class TenantHandlers {
  constructor(
    private readonly commands: TenantCommands,
    private readonly reader: TenantReader,
    private readonly queries: TenantQueries,
  ) {}

  /** Any signed-in user; the new tenant's id is made here, never taken from the caller. */
  @MessagePattern(TENANCY.createTenant)
  async create(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<TenantRef> {
    const { name, planId = DEFAULT_PLAN_ID } = await validated(CreateTenantV1, payload);
    const ownerUserId = userIdOf(callerOf(meta));
    if (!ownerUserId) throw forbidden('Only a signed-in user can create a tenant');
    const tenantId = newId(meta, 'tenant');
    const planDefined = await this.commands.planDefined(planId);
    await this.commands.run(tenantId, { kind: 'CreateTenant', tenantId, name, planId, planDefined, ownerUserId }, meta);
    return { tenantId };
  }

  @MessagePattern(TENANCY.renameTenant)
  async rename(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<TenantRef> {
    const { name } = await validated(RenameTenantV1, payload);
    const tenantId = tenantInScope(meta);
    await this.commands.run(tenantId, { kind: 'RenameTenant', tenantId, caller: callerOf(meta), name }, meta);
    return { tenantId };
  }

  @MessagePattern(TENANCY.suspendTenant)
  async suspend(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<TenantRef> {
    const { reason } = await validated(SuspendTenantV1, payload);
    const tenantId = tenantInScope(meta);
    await this.commands.run(tenantId, { kind: 'SuspendTenant', tenantId, caller: callerOf(meta), reason }, meta);
    return { tenantId };
  }

  @MessagePattern(TENANCY.resumeTenant)
  async resume(@Meta() meta: RequestMeta): Promise<TenantRef> {
    const tenantId = tenantInScope(meta);
    await this.commands.run(tenantId, { kind: 'ResumeTenant', tenantId, caller: callerOf(meta) }, meta);
    return { tenantId };
  }

  @MessagePattern(TENANCY.deleteTenant)
  async delete(@Meta() meta: RequestMeta): Promise<TenantRef> {
    const tenantId = tenantInScope(meta);
    await this.commands.run(tenantId, { kind: 'DeleteTenant', tenantId, caller: callerOf(meta) }, meta);
    return { tenantId };
  }

  @MessagePattern(TENANCY.changePlan)
  async changePlan(
    @Payload() payload: unknown,
    @Meta() meta: RequestMeta,
  ): Promise<TenantRef & { planId: string; effectiveAt: string }> {
    const { planId, effectiveAt } = await validated(ChangePlanV1, payload);
    const tenantId = tenantInScope(meta);
    const planDefined = await this.commands.planDefined(planId);
    const command = {
      kind: 'ChangePlan',
      tenantId,
      caller: callerOf(meta),
      planId,
      planDefined,
      effectiveAt,
      now: new Date().toISOString(),
    } as const;
    const { events } = await this.commands.run(tenantId, command, meta);
    const changed = events.find((event) => event.type === 'TenantPlanChanged');
    // No event: that plan is already in force, with nothing scheduled after it.
    return {
      tenantId,
      planId,
      effectiveAt: changed?.type === 'TenantPlanChanged' ? changed.data.effectiveAt : command.now,
    };
  }

  /** Members, and platform staff (read-only). */
  @MessagePattern(TENANCY.getTenant)
  async get(@Meta() meta: RequestMeta): Promise<TenantView> {
    const { tenantId, role } = await this.reader.scope(meta, { platformStaffMayRead: true });
    return this.queries.get(tenantId, role);
  }

  /** The caller's own tenants: a user's memberships, or the one tenant of an API key. */
  @MessagePattern(TENANCY.listMyTenants)
  async listMine(@Meta() meta: RequestMeta): Promise<TenantView[]> {
    const caller = callerOf(meta);
    const userId = userIdOf(caller);
    if (userId) return this.queries.listForUser(userId);
    if (caller.actor.type === 'api-key' && meta.tenantId) {
      const { tenantId, role } = await this.reader.scope(meta);
      return [await this.queries.get(tenantId, role)];
    }
    return [];
  }

  @MessagePattern(TENANCY.listAllTenants)
  async listAll(@Meta() meta: RequestMeta): Promise<TenantView[]> {
    if (!isPlatformStaff(callerOf(meta))) throw forbidden('Only platform staff may list every tenant');
    return this.queries.listAll();
  }
}
