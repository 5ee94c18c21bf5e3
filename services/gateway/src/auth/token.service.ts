import { PLATFORM_ROLES, type AuthenticatedUser, type Membership, type PlatformRole } from '@caas/contracts';
import { JwtService } from '@nestjs/jwt';
import type { UserPrincipal } from './principal';
import { unauthenticated } from './credentials';

export const TOKEN_TTL_SECONDS = 60 * 60;
const ISSUER = 'caas-gateway';

/** The claims of a gateway token. `tid`/`role` only in tenant-scoped tokens. */
export interface TokenClaims {
  readonly sub: string;
  readonly kind: 'user';
  readonly platformRoles: readonly PlatformRole[];
  readonly tid?: string;
  readonly role?: string;
  readonly iat: number;
  readonly exp: number;
  readonly iss: string;
}

export interface IssuedToken {
  readonly token: string;
  /** Seconds until the token expires. */
  readonly expiresIn: number;
}

/** Issues and verifies the gateway's HS256 JWTs. */
export class TokenService {
  private readonly jwt: JwtService;

  constructor(
    secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.jwt = new JwtService({ secret, verifyOptions: { algorithms: ['HS256'], issuer: ISSUER } });
  }

  /** After a successful password check: the user, not yet acting in any tenant. */
  issueUserToken(user: AuthenticatedUser): IssuedToken {
    return this.sign({ sub: user.userId, kind: 'user', platformRoles: [...user.platformRoles] }, TOKEN_TTL_SECONDS);
  }

  /**
   * Scopes the presenting user to one tenant. Never outlives the presented token, so
   * exchanging tokens cannot extend a session past the password check's hour.
   */
  issueTenantToken(user: UserPrincipal, membership: Membership): IssuedToken {
    const remaining = user.expiresAt - this.nowSeconds();
    return this.sign(
      {
        sub: user.userId,
        kind: 'user',
        platformRoles: [...user.platformRoles],
        tid: membership.tenantId,
        role: membership.role,
      },
      Math.min(TOKEN_TTL_SECONDS, remaining),
    );
  }

  /** The principal a token proves; the tenant role is a hint, re-checked by the Authenticator. */
  verify(token: string): UserPrincipal {
    let claims: TokenClaims;
    try {
      claims = this.jwt.verify<TokenClaims>(token, { clockTimestamp: this.nowSeconds() });
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw unauthenticated(expired ? 'Token expired: log in again' : 'Invalid token');
    }
    if (
      claims.kind !== 'user' ||
      typeof claims.sub !== 'string' ||
      typeof claims.exp !== 'number' ||
      !Array.isArray(claims.platformRoles)
    ) {
      throw unauthenticated('Invalid token');
    }
    return {
      type: 'user',
      userId: claims.sub,
      platformRoles: claims.platformRoles.filter((role): role is PlatformRole => PLATFORM_ROLES.includes(role)),
      tenantId: typeof claims.tid === 'string' ? claims.tid : null,
      role: null,
      expiresAt: claims.exp,
    };
  }

  private sign(claims: Omit<TokenClaims, 'iat' | 'exp' | 'iss'>, ttlSeconds: number): IssuedToken {
    const iat = this.nowSeconds();
    const token = this.jwt.sign({ ...claims, iat, exp: iat + ttlSeconds, iss: ISSUER }, { algorithm: 'HS256' });
    return { token, expiresIn: ttlSeconds };
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1_000);
  }
}
