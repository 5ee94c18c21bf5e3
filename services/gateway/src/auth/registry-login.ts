import { type AuthenticatedUser, CaasError, TENANCY, type VerifyPasswordV1 } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import type { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import type { Authenticator } from './authenticator';
import { API_KEY_PREFIX, unauthenticated } from './credentials';
import type { Principal } from './principal';

/** Longer than VerifyPasswordV1 / VerifyApiKeyV1 take: cannot be a credential. */
const MAX_PASSWORD = 128;
const MAX_API_KEY = 200;

/**
 * `docker login` credentials, as the registry's clients send them to the token realm
 * (HTTP Basic): an e-mail and password (a user, in no tenant), or any user name and a
 * `caas_…` API key as the password (the key's tenant and role). Wrong credentials are
 * unauthenticated; no credentials at all is an anonymous caller, who may pull public
 * images only.
 */
export class RegistryLogin {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly tenancy: RpcClient,
  ) {}

  async authenticate(authorization: string | undefined, correlationId: string): Promise<Principal | null> {
    if (authorization === undefined) return null;
    const { username, password } = parseBasic(authorization);
    if (password.startsWith(API_KEY_PREFIX)) {
      if (password.length > MAX_API_KEY) throw unauthenticated('Wrong user name or password');
      return this.authenticator.authenticate({ kind: 'api-key', secret: password }, correlationId);
    }
    if (password.length > MAX_PASSWORD) throw unauthenticated('Wrong user name or password');
    const meta: RequestMeta = { correlationId, actor: { type: 'system', id: 'anonymous' }, tenantId: null, roles: [] };
    try {
      const user = await this.tenancy.request<AuthenticatedUser>(
        TENANCY.verifyPassword,
        { email: username, password } satisfies VerifyPasswordV1,
        meta,
      );
      return {
        type: 'user',
        userId: user.userId,
        platformRoles: user.platformRoles,
        tenantId: null,
        role: null,
        expiresAt: Math.floor(Date.now() / 1_000) + 60,
      };
    } catch (error) {
      if (error instanceof CaasError && ['unauthenticated', 'validation', 'not_found'].includes(error.code)) {
        throw unauthenticated('Wrong user name or password');
      }
      throw error;
    }
  }
}

function parseBasic(header: string): { username: string; password: string } {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (!match) throw unauthenticated('The token endpoint takes HTTP Basic credentials');
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw unauthenticated('The token endpoint takes HTTP Basic credentials');
  const password = decoded.slice(colon + 1);
  if (!password) throw unauthenticated('Wrong user name or password');
  return { username: decoded.slice(0, colon), password };
}
