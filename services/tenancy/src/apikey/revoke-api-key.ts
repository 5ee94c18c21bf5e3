import { MANAGING_ROLES, notFound } from '@caas/contracts';
import { type TenantAccess, requireRole, requireVisible } from '../tenant/tenant.guards';
import type { ApiKeyEvent, ApiKeyState } from './apikey.events';

export interface RevokeApiKey {
  readonly kind: 'RevokeApiKey';
  readonly keyId: string;
  readonly tenant: TenantAccess;
}

/**
 * Owners and admins of the key's own tenant; another tenant's key is not found. Allowed
 * while the tenant is suspended — revoking only ever takes access away, and a leaked
 * key must always be revocable. Revoking twice changes nothing.
 */
export function revokeApiKey(command: RevokeApiKey, state: ApiKeyState): ApiKeyEvent[] {
  const { tenant, keyId } = command;
  requireVisible(tenant);
  requireRole(tenant, MANAGING_ROLES, 'revoke API keys');
  if (!state.exists || state.tenantId !== tenant.tenantId) throw notFound('API key', keyId);
  if (state.revoked) return [];
  return [{ type: 'ApiKeyRevoked', data: { keyId, tenantId: tenant.tenantId } }];
}
