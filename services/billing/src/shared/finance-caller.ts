import { forbidden } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';

const FINANCE_ROLES = ['finance', 'platform-admin'];

/**
 * Finance calls see every tenant's money: only the platform's own staff, as users with
 * the finance (or platform-admin) role. An API key is a tenant's and never qualifies.
 */
export function requireFinance(meta: RequestMeta): void {
  if (meta.actor.type !== 'user' || !FINANCE_ROLES.some((role) => meta.roles.includes(role))) {
    throw forbidden('Billing across tenants needs the platform finance role');
  }
}
