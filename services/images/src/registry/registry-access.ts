import { type TenantRole, WRITING_ROLES, MANAGING_ROLES } from '@caas/contracts';
import type { RegistryAccess, RegistryScope } from './registry-scope';

export type Visibility = 'private' | 'tenant' | 'public';

/** The namespace of the platform's curated images (the image market): `library/<name>`. */
export const MARKET_NAMESPACE = 'library';
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whose a repository is, read from its name: `<tenantId>/…`, `library/…`, or nobody's. */
export type Namespace = { readonly kind: 'tenant'; readonly tenantId: string } | { readonly kind: 'market' };

export function namespaceOf(repository: string): Namespace | undefined {
  const slash = repository.indexOf('/');
  if (slash < 0) return undefined;
  const first = repository.slice(0, slash);
  if (first === MARKET_NAMESPACE) return { kind: 'market' };
  return TENANT_ID.test(first) ? { kind: 'tenant', tenantId: first } : undefined;
}

/** What is known of the caller for one repository: its role in the owning tenant, and whether it is platform staff. */
export interface CallerRights {
  /** The caller's role in the tenant that owns the repository; null when none (or market). */
  readonly role: TenantRole | null;
  readonly platformAdmin: boolean;
}

/**
 * The actions of `scope` the caller may take: the intersection of what was asked and what
 * the caller may do (the token spec's rule). A tenant's repository: push for its writers
 * (owner, admin, developer), delete for its managers (owner, admin), pull by visibility —
 * private: its writers; tenant: every member, viewers included; public: anyone, anonymous
 * callers included. A repository nobody pushed yet is private. The market (`library/…`):
 * pull for anyone, push and delete for platform admins. The catalog lists every
 * repository's name: platform admins only.
 */
export function grantedActions(
  scope: RegistryScope,
  caller: CallerRights,
  visibility: Visibility = 'private',
): string[] {
  const allowed = allowedActions(scope, caller, visibility);
  const asked = scope.actions.includes('*') ? ['pull', 'push', 'delete'] : scope.actions;
  const granted = asked.filter((action) => allowed.has(action));
  if (scope.actions.includes('*') && granted.length === asked.length) return ['*'];
  return granted;
}

function allowedActions(scope: RegistryScope, caller: CallerRights, visibility: Visibility): Set<string> {
  if (scope.type === 'registry') return new Set(caller.platformAdmin ? ['*', 'pull', 'push', 'delete'] : []);
  const namespace = namespaceOf(scope.name);
  if (!namespace) return new Set();
  if (namespace.kind === 'market') {
    return new Set(caller.platformAdmin ? ['pull', 'push', 'delete'] : ['pull']);
  }
  const allowed = new Set<string>();
  const { role } = caller;
  if (visibility === 'public' || (role && (visibility === 'tenant' || WRITING_ROLES.includes(role)))) {
    allowed.add('pull');
  }
  if (role && WRITING_ROLES.includes(role)) allowed.add('push');
  if (role && MANAGING_ROLES.includes(role)) allowed.add('delete');
  return allowed;
}

/** The token's `access` claim: the scopes with at least one action granted. */
export function accessClaim(grants: ReadonlyArray<{ scope: RegistryScope; actions: string[] }>): RegistryAccess[] {
  return grants
    .filter(({ actions }) => actions.length > 0)
    .map(({ scope, actions }) => ({ type: scope.type, name: scope.name, actions }));
}
