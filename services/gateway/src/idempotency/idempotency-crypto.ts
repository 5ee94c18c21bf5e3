import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { canonicalJson } from './idempotency-key';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Keyed hashing and encryption for the idempotency store, all derived from one
 * secret. Stored responses can hold secrets shown only once (a new API key), and
 * fingerprints cover bodies with passwords; so the table holds neither keys nor bodies
 * in clear: a key is stored as an HMAC, a body sealed with AES-256-GCM under a key
 * derived from the secret, the scope and the caller's idempotency key itself. A copy of
 * the table alone reveals nothing.
 */
export class IdempotencyCrypto {
  private readonly root: Buffer;

  constructor(secret: string) {
    this.root = Buffer.from(hkdfSync('sha256', secret, 'caas-gateway', 'idempotency-root', 32));
  }

  keyDigest(scope: string, key: string): string {
    return this.hmac('key', scope, key);
  }

  /**
   * The id services get for the command a claimed request carries (RequestMeta.commandId):
   * the same for every attempt at the same request under the same key, on any gateway
   * instance sharing the secret, so a service recognises a command whose answer was lost.
   */
  commandId(scope: string, key: string, fingerprint: string): string {
    return this.hmac('command', scope, key, fingerprint);
  }

  /** What makes two requests "the same": method, path with query, and body. */
  fingerprint(method: string, url: string, body: unknown): string {
    return this.hmac('request', method.toUpperCase(), url, canonicalJson(body));
  }

  seal(scope: string, key: string, plaintext: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.bodyKey(scope, key), iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Throws when the data was not sealed for this scope and key with this secret. */
  open(scope: string, key: string, sealed: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.bodyKey(scope, key), sealed.subarray(0, IV_BYTES));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  }

  private bodyKey(scope: string, key: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.root, scope, `response\n${key}`, 32));
  }

  private hmac(purpose: string, ...parts: string[]): string {
    // Length-prefixed, so that no two part lists can produce the same input.
    const hmac = createHmac('sha256', this.root).update(purpose);
    for (const part of parts) hmac.update(`\n${Buffer.byteLength(part)}:`).update(part);
    return hmac.digest('base64url');
  }
}
