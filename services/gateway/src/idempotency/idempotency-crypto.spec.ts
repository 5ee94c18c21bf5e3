import { IdempotencyCrypto } from './idempotency-crypto';

const crypto = new IdempotencyCrypto('secret-one-secret-one-secret-one');

describe('IdempotencyCrypto', () => {
  describe('fingerprint', () => {
    it('is the same for the same method, path and body, whatever the key order', () => {
      expect(crypto.fingerprint('post', '/v1/tenants', { name: 'A', planId: 'pro' })).toBe(
        crypto.fingerprint('POST', '/v1/tenants', { planId: 'pro', name: 'A' }),
      );
    });

    it('differs when the method, the path, the query or the body differs', () => {
      const base = crypto.fingerprint('POST', '/v1/tenants', { name: 'A' });
      expect(
        new Set([
          base,
          crypto.fingerprint('PATCH', '/v1/tenants', { name: 'A' }),
          crypto.fingerprint('POST', '/v1/tenant', { name: 'A' }),
          crypto.fingerprint('POST', '/v1/tenants?x=1', { name: 'A' }),
          crypto.fingerprint('POST', '/v1/tenants', { name: 'B' }),
          crypto.fingerprint('POST', '/v1/tenants', undefined),
        ]).size,
      ).toBe(6);
    });

    it('cannot be recomputed without the secret (bodies hold passwords)', () => {
      const other = new IdempotencyCrypto('secret-two-secret-two-secret-two');
      const body = { email: 'a@example.com', password: 'correct horse battery' };
      expect(other.fingerprint('POST', '/v1/auth/signup', body)).not.toBe(
        crypto.fingerprint('POST', '/v1/auth/signup', body),
      );
    });
  });

  it('stores keys as digests that differ per scope', () => {
    expect(crypto.keyDigest('user:a', 'k')).toBe(crypto.keyDigest('user:a', 'k'));
    expect(crypto.keyDigest('user:a', 'k')).not.toBe(crypto.keyDigest('user:b', 'k'));
    expect(crypto.keyDigest('user:a', 'k')).not.toContain('k');
    // No ambiguity between the parts.
    expect(crypto.keyDigest('a', 'bc')).not.toBe(crypto.keyDigest('ab', 'c'));
  });

  it('names the command of a request: the same for the same scope, key and request only', () => {
    const request = crypto.fingerprint('POST', '/v1/environments', { name: 'dev' });
    const id = crypto.commandId('user:a:t', 'k', request);
    expect(crypto.commandId('user:a:t', 'k', request)).toBe(id);
    expect(new IdempotencyCrypto('secret-two-secret-two-secret-two').commandId('user:a:t', 'k', request)).not.toBe(id);
    const others = [
      crypto.commandId('user:b:t', 'k', request),
      crypto.commandId('user:a:t', 'k2', request),
      crypto.commandId('user:a:t', 'k', crypto.fingerprint('POST', '/v1/environments', { name: 'prod' })),
      crypto.keyDigest('user:a:t', 'k'),
    ];
    expect(new Set([id, ...others]).size).toBe(5);
  });

  it('seals a body that only the same scope and key open', () => {
    const body = Buffer.from('{"keyId":"k","secret":"caas_s3cr3t"}');
    const sealed = crypto.seal('api-key:k', 'idem-1', body);
    expect(sealed.includes(Buffer.from('caas_s3cr3t'))).toBe(false);
    expect(crypto.open('api-key:k', 'idem-1', sealed)).toEqual(body);
    expect(() => crypto.open('api-key:k', 'idem-2', sealed)).toThrow();
    expect(() => crypto.open('api-key:other', 'idem-1', sealed)).toThrow();
    expect(() => new IdempotencyCrypto('another-secret').open('api-key:k', 'idem-1', sealed)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => crypto.open('api-key:k', 'idem-1', tampered)).toThrow();
  });
});
