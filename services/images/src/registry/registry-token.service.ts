import {
  CaasError,
  type TenantRole,
  forbidden,
  invalid,
  type RegistryToken,
  type RegistryTokenV1,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import type { ImageStorage } from '../quota/image-storage';
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
    private readonly storage?: ImageStorage,
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
      scopes.map(async (scope) => {
        const rights = await this.rightsFor(meta, scope);
        const actions = grantedActions(scope, rights, await this.visibility(scope));
        return { scope, actions: await this.withinStorage(meta, scope, rights, actions) };
      }),
    );
    return this.signer.sign(subjectOf(meta), accessClaim(grants));
  }

  /**
   * What scheduling pulls a deploy's image with: pull on `repository` only, for a minute,
   * when the deploying tenant may pull it (its own, or public, or the market). Anything
   * else is not found — a tenant learns nothing about another's private repository.
   */
  async issuePullToken(repository: string, tenantId: string): Promise<RegistryToken> {
    const scope = parseScope(`repository:${repository}:pull`);
    const visibility = scope ? await this.repositories.visibilityOf(repository) : undefined;
    const caller: CallerRights = { role: ownerRoleIfOwn(repository, tenantId), platformAdmin: false };
    if (!scope || !grantedActions(scope, caller, visibility).includes('pull')) {
      throw new CaasError('not_found', `image: repository '${repository}' not found in the platform registry`, {
        details: { field: 'image', repository },
      });
    }
    return this.signer.sign(
      `tenant:${tenantId}`,
      accessClaim([{ scope, actions: ['pull'] }]),
      DEPLOY_TOKEN_TTL_SECONDS,
    );
  }

  /**
   * Pull and push on one repository of the tenant's own namespace, for a writer of that
   * tenant (scheduling pushes a committed container with it, on the caller's behalf).
   */
  async issuePushToken(
    repository: string,
    tenantId: string,
    role: TenantRole,
    meta: RequestMeta,
  ): Promise<RegistryToken> {
    const scope = parseScope(`repository:${repository}:pull,push`);
    const namespace = namespaceOf(repository);
    if (!scope || namespace?.kind !== 'tenant' || namespace.tenantId !== tenantId) {
      throw invalid('repository', 'ownNamespace', `repository must be in the tenant's namespace (${tenantId}/…)`);
    }
    const actions = grantedActions(scope, { role, platformAdmin: false });
    if (!actions.includes('push')) throw forbidden(`A ${role} may not push images`);
    await this.storage?.requireRoom(meta, tenantId, role);
    return this.signer.sign(`tenant:${tenantId}`, accessClaim([{ scope, actions }]), DEPLOY_TOKEN_TTL_SECONDS);
  }

  /** Push is taken out of a grant while the owning tenant is at its image storage limit. */
  private async withinStorage(
    meta: RequestMeta,
    scope: RegistryScope,
    rights: CallerRights,
    actions: string[],
  ): Promise<string[]> {
    const pushes = actions.includes('push') || actions.includes('*');
    const namespace = scope.type === 'repository' ? namespaceOf(scope.name) : undefined;
    if (!pushes || !this.storage || namespace?.kind !== 'tenant' || !rights.role) return actions;
    if (await this.storage.allowsPush(meta, namespace.tenantId, rights.role)) return actions;
    return actions.flatMap((action) => (action === '*' ? ['pull', 'delete'] : action === 'push' ? [] : [action]));
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

/** Scheduling's pull and push tokens: long enough for the engine to move every layer. */
const DEPLOY_TOKEN_TTL_SECONDS = 120;

/** A deploy acts with the tenant's own rights: those of a writer in its own namespace. */
function ownerRoleIfOwn(repository: string, tenantId: string) {
  const namespace = namespaceOf(repository);
  return namespace?.kind === 'tenant' && namespace.tenantId === tenantId ? ('developer' as const) : null;
}

/** `sub`: who the registry logs as the actor (and sends back in its notifications). */
function subjectOf(meta: RequestMeta): string {
  return meta.actor.type === 'user' || meta.actor.type === 'api-key' ? `${meta.actor.type}:${meta.actor.id}` : '';
}
