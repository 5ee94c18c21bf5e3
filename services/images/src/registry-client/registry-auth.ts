import { RegistryError, registryErrorFrom } from './registry-error';
import { type Challenge, parseChallenge } from './www-authenticate';

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

/** Mints a registry token for these scopes ourselves (the images service holds the signing key). */
export type BearerMinter = (scopes: string[]) => Promise<string>;

export interface RegistryAuthOptions {
  readonly credentials?: RegistryCredentials;
  readonly bearer?: BearerMinter;
  readonly timeoutMs: number;
}

/** The token spec's default lifetime, for realms that leave `expires_in` out. */
const DEFAULT_EXPIRES_IN_SECONDS = 60;
/** Refresh this long before expiry (at most a quarter of the lifetime), so a token does not run out mid-request. */
const EXPIRY_MARGIN_SECONDS = 10;

interface CachedToken {
  readonly token: string;
  readonly refreshAt: number;
}

/**
 * Answers a registry's challenges: Basic with the credentials, Bearer with a token from
 * the challenge's realm (or from `bearer`). Once the registry has challenged, later
 * requests carry the header up front, saving each one a 401 round trip.
 */
export class RegistryAuth {
  private challenge: Challenge | undefined;
  /** Realm tokens by scope set; a promise, so that concurrent requests share one realm hit. */
  private readonly tokens = new Map<string, Promise<CachedToken>>();

  constructor(private readonly options: RegistryAuthOptions) {}

  /** The Authorization header for a request needing `scopes`, when the registry's scheme is known. */
  async authorization(scopes: readonly string[]): Promise<string | undefined> {
    const challenge = this.challenge;
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') return this.basic();
    return `Bearer ${await this.token(challenge, scopes)}`;
  }

  /**
   * After a 401: the header to retry with, or undefined when there is nothing new to try
   * (no credentials, or the same Basic credentials were just refused).
   */
  async answer(
    wwwAuthenticate: string | null,
    scopes: readonly string[],
    sent: string | undefined,
  ): Promise<string | undefined> {
    const challenge = parseChallenge(wwwAuthenticate);
    if (!challenge) return undefined;
    this.challenge = challenge;
    if (challenge.scheme === 'basic') {
      const basic = this.basic();
      return basic === sent ? undefined : basic;
    }
    // The cached token was refused (expired early, revoked, or short of a scope): ask anew.
    this.tokens.delete(scopeKey(scopes));
    return `Bearer ${await this.token(challenge, scopes)}`;
  }

  private basic(): string | undefined {
    const credentials = this.options.credentials;
    if (!credentials) return undefined;
    return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }

  private async token(challenge: Challenge & { scheme: 'bearer' }, scopes: readonly string[]): Promise<string> {
    // Minting is a local signature and the minter decides lifetimes: nothing to cache.
    if (this.options.bearer) return this.options.bearer([...scopes]);
    const key = scopeKey(scopes);
    const cached = this.tokens.get(key);
    if (cached) {
      const token = await cached.catch(() => undefined);
      if (token && Date.now() < token.refreshAt) return token.token;
      if (this.tokens.get(key) === cached) this.tokens.delete(key);
    }
    const fetched = this.fetchToken(challenge, scopes);
    this.tokens.set(key, fetched);
    fetched.catch(() => {
      if (this.tokens.get(key) === fetched) this.tokens.delete(key);
    });
    return (await fetched).token;
  }

  private async fetchToken(
    challenge: Challenge & { scheme: 'bearer' },
    scopes: readonly string[],
  ): Promise<CachedToken> {
    const url = new URL(challenge.realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const credentials = this.options.credentials;
    if (credentials) url.searchParams.set('account', credentials.username);
    const basic = this.basic();
    // taken before the request, so the token's lifetime is never overestimated
    const requestedAt = Date.now();
    const response = await fetch(url, {
      headers: basic ? { Authorization: basic } : {},
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    const realm = `token realm ${url.origin}${url.pathname}`;
    if (!response.ok) throw await registryErrorFrom(realm, response);
    const body = (await response.json().catch(() => ({}))) as {
      token?: unknown;
      access_token?: unknown;
      expires_in?: unknown;
    };
    const token = typeof body.token === 'string' && body.token ? body.token : body.access_token;
    if (typeof token !== 'string' || !token) {
      throw new RegistryError(`${realm}: the answer holds no token`, response.status);
    }
    const expiresIn =
      typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_EXPIRES_IN_SECONDS;
    const margin = Math.min(EXPIRY_MARGIN_SECONDS, expiresIn / 4);
    return { token, refreshAt: requestedAt + (expiresIn - margin) * 1_000 };
  }
}

function scopeKey(scopes: readonly string[]): string {
  return [...new Set(scopes)].sort().join(' ');
}
