import { CaasError, TENANT_ROLES, type TenantRole, notFound } from '@caas/contracts';
import type { RequestMeta } from './request-meta';

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
 * For services that own no memberships: the gateway put the caller's current role in the
 * tenant (a user's as tenancy answers it, an API key's own) into `Caas-Roles`. No tenant
 * role at all means not a member: not_found, as tenancy answers for a tenant one does
 * not belong to.
 */
export function readerTenant(meta: RequestMeta): string {
  return tenantMember(meta).tenantId;
}

/** The tenant in scope and the caller's role there (its strongest, should it have several). */
export function tenantMember(meta: RequestMeta): { tenantId: string; role: TenantRole } {
  const tenantId = tenantInScope(meta);
  const role = TENANT_ROLES.find((candidate) => meta.roles.includes(candidate));
  if (!role) throw notFound('tenant', tenantId);
  return { tenantId, role };
}
