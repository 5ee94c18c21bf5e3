import { createPrivateKey, createSign, randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import type { RegistryToken } from '@caas/contracts';
import type { RegistryAccess } from './registry-scope';

export interface RegistryTokenSignerOptions {
  /** PEM of the RSA key the registry trusts through its `rootcertbundle`. */
  readonly keyPem: string;
  /** PEM of that key's certificate: sent in the JWT's `x5c` header, so the registry can chain it to its bundle. */
  readonly certPem: string;
  /** `iss`: the registry's `auth.token.issuer`. */
  readonly issuer: string;
  /** `aud`: the registry's `auth.token.service`. */
  readonly service: string;
  /** Lifetime of a token (default 300 s: a push of many layers asks again when it runs out). */
  readonly ttlSeconds?: number;
  readonly now?: () => number;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 300;
/** Clock skew the registry may have against us: `nbf` is set this far in the past. */
const NOT_BEFORE_SKEW_SECONDS = 10;

/**
 * Signs registry bearer tokens (distribution token spec): a JWT, RS256, with the signing
 * certificate in `x5c`; claims iss, sub, aud, exp, nbf, iat, jti and `access`, the scopes
 * granted. The registry checks the signature against its root bundle, `iss`, `aud`, the
 * times, and that `access` covers what the request does.
 */
export class RegistryTokenSigner {
  private readonly key: KeyObject;
  private readonly x5c: string;
  private readonly ttlSeconds: number;
  private readonly now: () => number;

  constructor(private readonly options: RegistryTokenSignerOptions) {
    this.key = createPrivateKey(options.keyPem);
    const certificate = new X509Certificate(options.certPem);
    if (!certificate.checkPrivateKey(this.key)) {
      throw new Error('The registry token key does not belong to its certificate');
    }
    this.x5c = certificate.raw.toString('base64');
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    this.now = options.now ?? Date.now;
  }

  /** A token for `subject` (the caller's id, '' when anonymous) granting exactly `access`. */
  sign(subject: string, access: readonly RegistryAccess[], ttlSeconds = this.ttlSeconds): RegistryToken {
    const issuedAt = Math.floor(this.now() / 1_000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [this.x5c] };
    const claims = {
      iss: this.options.issuer,
      sub: subject,
      aud: this.options.service,
      exp: issuedAt + ttlSeconds,
      nbf: issuedAt - NOT_BEFORE_SKEW_SECONDS,
      iat: issuedAt,
      jti: randomUUID(),
      access,
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(this.key).toString('base64url');
    const token = `${signingInput}.${signature}`;
    return {
      token,
      access_token: token,
      expires_in: ttlSeconds,
      issued_at: new Date(issuedAt * 1_000).toISOString(),
    };
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
