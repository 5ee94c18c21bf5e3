import { CaasError, type PlatformRole } from '@caas/contracts';
import type { Principal } from './principal';
import { unauthenticated } from './credentials';

/**
 * Who may call a route. Fine-grained tenant roles (owner/admin/developer/viewer) are
 * tenancy's to decide; the gateway only makes sure the right kind of credential is
 * there, because it alone knows the credential.
 */
export type Access =
  | { readonly kind: 'public' }
  /** Any valid credential. */
  | { readonly kind: 'authenticated' }
  /** A user token (API keys act inside one tenant only). */
  | { readonly kind: 'user' }
  /** A tenant-scoped credential: a tenant token or an API key. */
  | { readonly kind: 'tenant' }
  /** A user token holding one of these platform roles. */
  | { readonly kind: 'platform'; readonly roles: readonly PlatformRole[] };

export const NEEDS_TENANT_SCOPE_MESSAGE =
  'This endpoint acts inside a tenant: get a tenant-scoped token with POST /v1/auth/token {"tenantId": "…"} ' +
  'and send it as the bearer token, or use an API key of the tenant';

export function checkAccess(access: Access, principal: Principal | null): void {
  if (access.kind === 'public') return;
  if (!principal) throw unauthenticated('Authentication required: send "Authorization: Bearer <token or API key>"');
  switch (access.kind) {
    case 'authenticated':
      return;
    case 'user':
      if (principal.type !== 'user')
        throw new CaasError('forbidden', 'This endpoint needs a user token, not an API key');
      return;
    case 'tenant':
      if (!principal.tenantId) throw new CaasError('forbidden', NEEDS_TENANT_SCOPE_MESSAGE);
      return;
    case 'platform':
      if (principal.type !== 'user' || !access.roles.some((role) => principal.platformRoles.includes(role))) {
        throw new CaasError('forbidden', `This endpoint needs the platform role ${access.roles.join(' or ')}`);
      }
      return;
  }
}
