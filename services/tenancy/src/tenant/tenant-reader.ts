import { type TenantRole, notFound } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Caller, callerOf, isPlatformStaff } from '../shared/caller';
import { tenantInScope } from '@caas/messaging/src/rpc/tenant-scope';
import { MemberRow, TenantRow } from './tenant.projection';

export interface TenantScope {
  readonly tenantId: string;
  readonly caller: Caller;
  /** Undefined for platform staff looking at a tenant they are no member of. */
  readonly role: TenantRole | undefined;
}

/**
 * Authorisation for queries, from the read model: the tenant is the one in the
 * credential's scope, and a caller who is not its member (or the tenant is deleted)
 * gets not_found — the same answer as for a tenant that never existed.
 */
@Injectable()
export class TenantReader {
  constructor(private readonly dataSource: DataSource) {}

  async scope(meta: RequestMeta, options: { platformStaffMayRead?: boolean } = {}): Promise<TenantScope> {
    const tenantId = tenantInScope(meta);
    const caller = callerOf(meta);
    const tenant = await this.dataSource.manager.findOneBy(TenantRow, { tenantId });
    if (!tenant || tenant.status === 'deleted') throw notFound('tenant', tenantId);
    const role = await this.roleOf(tenantId, caller);
    if (!role && !(options.platformStaffMayRead && isPlatformStaff(caller))) throw notFound('tenant', tenantId);
    return { tenantId, caller, role };
  }

  /** A user's role from the member list; an API key's from the gateway's verification. */
  async roleOf(tenantId: string, caller: Caller): Promise<TenantRole | undefined> {
    if (caller.actor.type === 'api-key') return caller.keyRole;
    if (caller.actor.type !== 'user') return undefined;
    const member = await this.dataSource.manager.findOneBy(MemberRow, { tenantId, userId: caller.actor.id });
    return member?.role as TenantRole | undefined;
  }
}
