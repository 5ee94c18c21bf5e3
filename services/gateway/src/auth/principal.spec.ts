import {
  idempotencyScope,
  rateLimitSubject,
  toPlatformRequestMeta,
  toRequestMeta,
  type ApiKeyPrincipal,
  type UserPrincipal,
} from './principal';

const user: UserPrincipal = {
  type: 'user',
  userId: 'u-1',
  platformRoles: ['finance'],
  tenantId: null,
  role: null,
  expiresAt: 0,
};
const member: UserPrincipal = { ...user, tenantId: 't-1', role: 'admin' };
const apiKey: ApiKeyPrincipal = { type: 'api-key', keyId: 'k-1', tenantId: 't-2', role: 'developer' };

describe('toRequestMeta', () => {
  it('takes actor, tenant and roles from the credential', () => {
    expect(toRequestMeta(member, 'c')).toEqual({
      correlationId: 'c',
      actor: { type: 'user', id: 'u-1' },
      tenantId: 't-1',
      roles: ['admin', 'finance'],
    });
    expect(toRequestMeta(user, 'c')).toMatchObject({ tenantId: null, roles: ['finance'] });
    expect(toRequestMeta(apiKey, 'c')).toEqual({
      correlationId: 'c',
      actor: { type: 'api-key', id: 'k-1' },
      tenantId: 't-2',
      roles: ['developer'],
    });
  });

  it('describes an anonymous caller (sign-up, login) as such', () => {
    expect(toRequestMeta(null, 'c')).toEqual({
      correlationId: 'c',
      actor: { type: 'system', id: 'anonymous' },
      tenantId: null,
      roles: [],
    });
  });

  it('for platform routes, carries the route tenant and platform roles only', () => {
    expect(toPlatformRequestMeta(member, 'c', 't-9')).toEqual({
      correlationId: 'c',
      actor: { type: 'user', id: 'u-1' },
      tenantId: 't-9',
      roles: ['finance'],
    });
  });

  it("passes on the command id of the request's Idempotency-Key, when there is one", () => {
    for (const principal of [member, apiKey, null]) {
      expect(toRequestMeta(principal, 'c', 'cmd-1').commandId).toBe('cmd-1');
      expect(toRequestMeta(principal, 'c')).not.toHaveProperty('commandId');
    }
    expect(toPlatformRequestMeta(member, 'c', 't-9', 'cmd-1').commandId).toBe('cmd-1');
    expect(toPlatformRequestMeta(member, 'c', 't-9')).not.toHaveProperty('commandId');
  });
});

describe('rate limit and idempotency subjects', () => {
  it('counts requests per tenant, else per user, else per address', () => {
    expect(rateLimitSubject(member, '1.2.3.4')).toBe('tenant:t-1');
    expect(rateLimitSubject(apiKey, '1.2.3.4')).toBe('tenant:t-2');
    expect(rateLimitSubject(user, '1.2.3.4')).toBe('user:u-1');
    expect(rateLimitSubject(null, '1.2.3.4')).toBe('ip:1.2.3.4');
  });

  it('keeps idempotency keys apart per principal and per tenant', () => {
    const scopes = [
      idempotencyScope(user, 'ip'),
      idempotencyScope(member, 'ip'),
      idempotencyScope({ ...member, tenantId: 't-other' }, 'ip'),
      idempotencyScope(apiKey, 'ip'),
      idempotencyScope(null, 'ip'),
      idempotencyScope(null, 'other-ip'),
    ];
    expect(new Set(scopes).size).toBe(scopes.length);
  });
});
