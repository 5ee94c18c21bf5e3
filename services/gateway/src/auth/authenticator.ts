import { createHash } from 'node:crypto';
import {
  CaasError,
  SYSTEM_ACTOR,
  TENANCY,
  type AuthenticatedApiKey,
  type Membership,
  type VerifyApiKeyV1,
  type ScopeToTenantV1,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import type { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { type Credential, unauthenticated } from './credentials';
import { ExpiringCache } from '@caas/messaging/src/rpc/expiring-cache';
import type { ApiKeyPrincipal, Principal, UserPrincipal } from './principal';
import type { TokenService } from './token.service';

/**
 * Turns a credential into a principal on every request. API keys and tenant
 * memberships are asked of tenancy (remembered for at most `cacheMs`), so a revoked
 * key, a removed member or a changed role takes effect within seconds rather than when
 * a token expires.
 */
export class Authenticator {
  private readonly apiKeys: ExpiringCache<AuthenticatedApiKey>;
  private readonly memberships: ExpiringCache<Membership>;

  constructor(
    private readonly tokens: TokenService,
    private readonly tenancy: RpcClient,
    cacheMs: number,
  ) {
    this.apiKeys = new ExpiringCache(cacheMs);
    this.memberships = new ExpiringCache(cacheMs);
  }

  async authenticate(credential: Credential, correlationId: string): Promise<Principal> {
    if (credential.kind === 'api-key') return this.authenticateApiKey(credential.secret, correlationId);
    const user = this.tokens.verify(credential.token);
    if (!user.tenantId) return user;
    const membership = await this.membership(user, user.tenantId, correlationId);
    return { ...user, role: membership.role };
  }

  /** The user's membership in a tenant, or forbidden when there is none (any more). */
  async membership(user: UserPrincipal, tenantId: string, correlationId: string): Promise<Membership> {
    const meta: RequestMeta = {
      correlationId,
      actor: { type: 'user', id: user.userId },
      // Not yet proven: the membership is what proves it.
      tenantId: null,
      roles: [...user.platformRoles],
    };
    try {
      return await this.memberships.get(`${user.userId}:${tenantId}`, () =>
        this.tenancy.request<Membership>(TENANCY.membership, { tenantId } satisfies ScopeToTenantV1, meta),
      );
    } catch (error) {
      if (error instanceof CaasError && (error.code === 'not_found' || error.code === 'forbidden')) {
        throw new CaasError('forbidden', `You are not a member of tenant '${tenantId}'`);
      }
      throw error;
    }
  }

  private async authenticateApiKey(secret: string, correlationId: string): Promise<ApiKeyPrincipal> {
    const meta: RequestMeta = { correlationId, actor: SYSTEM_ACTOR, tenantId: null, roles: [] };
    // Keyed by a hash so that the cache never holds secrets.
    const cacheKey = createHash('sha256').update(secret).digest('base64url');
    try {
      const key = await this.apiKeys.get(cacheKey, () =>
        this.tenancy.request<AuthenticatedApiKey>(TENANCY.verifyApiKey, { secret } satisfies VerifyApiKeyV1, meta),
      );
      return { type: 'api-key', keyId: key.keyId, tenantId: key.tenantId, role: key.role };
    } catch (error) {
      // Unknown, revoked, malformed: all the same to the caller. Tenancy being down is not.
      if (
        error instanceof CaasError &&
        ['unauthenticated', 'not_found', 'validation', 'forbidden'].includes(error.code)
      ) {
        throw unauthenticated('Invalid API key');
      }
      throw error;
    }
  }
}
