import { invalid, type RegistryToken, type RegistryTokenV1 } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import type { TenantRoles } from '../shared/tenant-roles';
import { type CallerRights, type Visibility, accessClaim, grantedActions, namespaceOf } from './registry-access';
import { type RegistryScope, parseScope } from './registry-scope';
import type { RegistryTokenSigner } from './registry-token.signer';

/** Where the token service reads a repository's visibility (undefined: nobody pushed it yet). */
export interface VisibilitySource {
  visibilityOf(repository: string): Promise<Visibility | undefined>;
}

/**
 * The registry's token server: what the caller of the request's headers (a user, an API
 * key, or nobody) may do with each repository asked, signed into a short-lived token.
 * Scopes that cannot be read, or grant nothing, are left out of the token, never refused:
 * the registry answers 401/403 for what the token does not cover.
 */
export class RegistryTokenService {
  constructor(
    private readonly service: string,
    private readonly signer: RegistryTokenSigner,
    private readonly roles: TenantRoles,
    private readonly repositories: VisibilitySource,
  ) {}

  async issue(request: RegistryTokenV1, meta: RequestMeta): Promise<RegistryToken> {
    if (request.service !== this.service) {
      throw invalid(
        'service',
        'equals',
        `service must be '${this.service}', the registry this server issues tokens for`,
      );
    }
    const scopes = (request.scopes ?? []).map(parseScope).filter((scope): scope is RegistryScope => !!scope);
    const grants = await Promise.all(
      scopes.map(async (scope) => ({
        scope,
        actions: grantedActions(scope, await this.rightsFor(meta, scope), await this.visibility(scope)),
      })),
    );
    return this.signer.sign(subjectOf(meta), accessClaim(grants));
  }

  private async rightsFor(meta: RequestMeta, scope: RegistryScope): Promise<CallerRights> {
    const platformAdmin = meta.actor.type === 'user' && meta.roles.includes('platform-admin');
    const namespace = scope.type === 'repository' ? namespaceOf(scope.name) : undefined;
    const role = namespace?.kind === 'tenant' ? await this.roles.roleIn(meta, namespace.tenantId) : null;
    return { role, platformAdmin };
  }

  private async visibility(scope: RegistryScope): Promise<Visibility | undefined> {
    return scope.type === 'repository' ? this.repositories.visibilityOf(scope.name) : undefined;
  }
}

/** `sub`: who the registry logs as the actor (and sends back in its notifications). */
function subjectOf(meta: RequestMeta): string {
  return meta.actor.type === 'user' || meta.actor.type === 'api-key' ? `${meta.actor.type}:${meta.actor.id}` : '';
}
