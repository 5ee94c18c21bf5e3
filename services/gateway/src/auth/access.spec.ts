import { checkAccess, NEEDS_TENANT_SCOPE_MESSAGE, type Access } from './access';
import type { ApiKeyPrincipal, Principal, UserPrincipal } from './principal';

const user: UserPrincipal = { type: 'user', userId: 'u', platformRoles: [], tenantId: null, role: null, expiresAt: 0 };
const member: UserPrincipal = { ...user, tenantId: 't', role: 'viewer' };
const admin: UserPrincipal = { ...user, platformRoles: ['platform-admin'] };
const apiKey: ApiKeyPrincipal = { type: 'api-key', keyId: 'k', tenantId: 't', role: 'owner' };

const outcome = (access: Access, principal: Principal | null) => {
  try {
    checkAccess(access, principal);
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('checkAccess', () => {
  it.each<[string, Access, Principal | null, string]>([
    ['public, anonymous', { kind: 'public' }, null, 'ok'],
    ['authenticated, anonymous', { kind: 'authenticated' }, null, 'unauthenticated'],
    ['authenticated, API key', { kind: 'authenticated' }, apiKey, 'ok'],
    ['user, user token', { kind: 'user' }, user, 'ok'],
    ['user, tenant token', { kind: 'user' }, member, 'ok'],
    ['user, API key', { kind: 'user' }, apiKey, 'forbidden'],
    ['tenant, anonymous', { kind: 'tenant' }, null, 'unauthenticated'],
    ['tenant, user token without tenant', { kind: 'tenant' }, user, 'forbidden'],
    ['tenant, tenant token', { kind: 'tenant' }, member, 'ok'],
    ['tenant, API key', { kind: 'tenant' }, apiKey, 'ok'],
    ['platform, platform-admin', { kind: 'platform', roles: ['platform-admin', 'finance'] }, admin, 'ok'],
    [
      'platform, finance only',
      { kind: 'platform', roles: ['platform-admin'] },
      { ...user, platformRoles: ['finance'] },
      'forbidden',
    ],
    ['platform, plain user', { kind: 'platform', roles: ['finance'] }, user, 'forbidden'],
    ['platform, API key', { kind: 'platform', roles: ['platform-admin'] }, apiKey, 'forbidden'],
  ])('%s → %s', (_, access, principal, expected) => {
    expect(outcome(access, principal)).toBe(expected);
  });

  it('tells a user without tenant scope how to get it', () => {
    expect(() => checkAccess({ kind: 'tenant' }, user)).toThrow(NEEDS_TENANT_SCOPE_MESSAGE);
    expect(NEEDS_TENANT_SCOPE_MESSAGE).toContain('POST /v1/auth/token');
  });
});
