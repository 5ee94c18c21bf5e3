import { forbidden } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { readerTenant } from '@caas/messaging/src/rpc/tenant-scope';
import { type ServiceCaller, mayChangeServices } from '../service/service-access';

/** Owners, admins and developers change workloads; a viewer gets forbidden. */
export function writerTenant(meta: RequestMeta, action: string): string {
  const tenantId = readerTenant(meta);
  if (!mayChangeServices(meta.roles)) throw forbidden(`Your role may not ${action}`);
  return tenantId;
}

/** The caller as the service decider takes it. */
export function serviceCallerOf(meta: RequestMeta, tenantId: string): ServiceCaller {
  return { tenantId, actor: meta.actor, roles: meta.roles };
}
