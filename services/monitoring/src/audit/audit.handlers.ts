import { AUDIT, type AuditPage, ListAuditV1, notFound, stateAsOfPattern } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { answerStateAsOf } from '@caas/messaging/src/rpc/state-as-of';
import { readerTenant } from '@caas/messaging/src/rpc/tenant-scope';
import type { EventStore } from '@caas/event-store';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, MONITORING_DATA_SOURCE } from '../shared/tokens';
import { type AuditScope, AuditLogQueries } from './audit-log.queries';
import { STATE_REPLAYS } from './state-replays';

/**
 * The audit log over NATS. Any member reads its tenant's changes (the tenant is the
 * credential's, never the payload's); a platform admin without a tenant in scope reads
 * every tenant's, or one tenant's with `tenantId`.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class AuditHandlers {
  private readonly queries: AuditLogQueries;

  constructor(
    @Inject(MONITORING_DATA_SOURCE) dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    this.queries = new AuditLogQueries(dataSource);
  }

  @MessagePattern(AUDIT.list)
  async list(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<AuditPage> {
    const filters = await validated(ListAuditV1, payload ?? {});
    return this.queries.list(auditScope(meta, filters.tenantId), filters);
  }

  /** Monitoring's own public streams (webhooks) as of a past time. */
  @MessagePattern(stateAsOfPattern('monitoring'))
  state(@Payload() payload: unknown, @Meta() meta: RequestMeta) {
    return answerStateAsOf(this.store, STATE_REPLAYS, payload, meta);
  }
}

/** A tenant's members see their tenant; `tenantId` is for platform admins without one in scope. */
export function auditScope(meta: RequestMeta, tenantId: string | undefined): AuditScope {
  const admin = meta.roles.includes('platform-admin');
  if (admin && !meta.tenantId) return tenantId ? { tenantId } : { allTenants: true };
  // Naming another tenant is asking for what does not exist, as far as this caller may know.
  if (tenantId !== undefined && tenantId !== meta.tenantId) throw notFound('tenant', tenantId);
  return { tenantId: readerTenant(meta) };
}
