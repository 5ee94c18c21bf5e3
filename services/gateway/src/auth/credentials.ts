import { CaasError } from '@caas/contracts';

export type Credential =
  { readonly kind: 'jwt'; readonly token: string } | { readonly kind: 'api-key'; readonly secret: string };

export const API_KEY_PREFIX = 'caas_';
/** VerifyApiKeyV1 allows 200 characters; anything longer cannot be a key. */
const MAX_API_KEY_LENGTH = 200;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** `Authorization: Bearer <JWT | caas_… API key>`; null when the header is absent. */
export function parseAuthorization(header: string | undefined): Credential | null {
  if (header === undefined) return null;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match) throw unauthenticated('Authorization must be "Bearer <token or API key>"');
  const value = match[1];
  if (value.startsWith(API_KEY_PREFIX)) {
    if (value.length > MAX_API_KEY_LENGTH) throw unauthenticated('Invalid API key');
    return { kind: 'api-key', secret: value };
  }
  if (!JWT_SHAPE.test(value)) throw unauthenticated('Invalid token');
  return { kind: 'jwt', token: value };
}

export function unauthenticated(message: string): CaasError {
  return new CaasError('unauthenticated', message);
}
