import { MANAGING_ROLES, type TenantRole, conflict, forbidden } from '@caas/contracts';
import { isAtLeast } from '../shared/roles';
import { type TenantAccess, requireActive, requireRole, requireVisible } from '../tenant/tenant.guards';
import type { ApiKeyEvent, ApiKeyState } from './apikey.events';

export interface CreateApiKey {
  readonly kind: 'CreateApiKey';
  readonly keyId: string;
  readonly name: string;
  readonly role: TenantRole;
  /** The first characters of the secret, to recognise the key in lists. */
  readonly prefix: string;
  /** The caller's standing in the tenant the key is for, read from the tenant aggregate. */
  readonly tenant: TenantAccess;
}

/** Owners and admins, for a role no stronger than their own: a key never out-ranks its creator. */
export function createApiKey(command: CreateApiKey, state: ApiKeyState): ApiKeyEvent[] {
  const { tenant, keyId, name, role, prefix } = command;
  requireVisible(tenant);
  const creatorRole = requireRole(tenant, MANAGING_ROLES, 'create API keys');
  requireActive(tenant);
  if (!isAtLeast(creatorRole, role)) throw forbidden(`A ${creatorRole} may not create a key with the role ${role}`);
  if (state.exists) throw conflict(`API key '${keyId}' already exists`);
  return [{ type: 'ApiKeyCreated', data: { keyId, tenantId: tenant.tenantId, name, role, prefix } }];
}
