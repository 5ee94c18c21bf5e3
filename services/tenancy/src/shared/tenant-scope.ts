import { CaasError } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The tenant a call acts in: always the credential's scope from the headers, never an
 * id from the payload. A call without one is a caller bug (validation); a malformed
 * id cannot name any tenant (not_found).
 */
export function tenantInScope(meta: RequestMeta): string {
  if (!meta.tenantId) {
    throw new CaasError('validation', 'This call needs a tenant-scoped credential', {
      violations: [{ field: 'tenantId', rule: 'required', message: 'the Caas-Tenant-Id header is required' }],
    });
  }
  if (!UUID.test(meta.tenantId)) throw new CaasError('not_found', `tenant '${meta.tenantId}' not found`);
  return meta.tenantId;
}
