import { CaasError, TENANT_ROLES, forbidden, notFound } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { type ServiceCaller, mayChangeServices } from '../service/service-access';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The tenant a call acts in: always the credential's scope from the headers
 * (`Caas-Tenant-Id`), never an id from the payload. A call without one is a caller bug
 * (validation); a malformed id cannot name any tenant (not_found).
 */
export function tenantInScope(meta: RequestMeta): string {
  if (!meta.tenantId) {
    throw new CaasError('validation', 'This call needs a tenant-scoped credential', {
      violations: [{ field: 'tenantId', rule: 'required', message: 'the Caas-Tenant-Id header is required' }],
    });
  }
  if (!UUID.test(meta.tenantId)) throw notFound('tenant', meta.tenantId);
  return meta.tenantId;
}

/**
 * Scheduling owns no memberships: the gateway put the caller's current role in the
 * tenant (a user's as tenancy answers it, an API key's own) into `Caas-Roles`. No tenant
 * role at all means not a member: not_found, as tenancy answers for a tenant one does
 * not belong to.
 */
export function readerTenant(meta: RequestMeta): string {
  const tenantId = tenantInScope(meta);
  if (!meta.roles.some((role) => (TENANT_ROLES as readonly string[]).includes(role))) {
    throw notFound('tenant', tenantId);
  }
  return tenantId;
}

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
