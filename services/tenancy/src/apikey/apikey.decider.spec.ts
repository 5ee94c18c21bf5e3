import type { TenantRole } from '@caas/contracts';
import { spec } from '@caas/domain/src/decider-spec';
import type { Caller } from '../shared/caller';
import { admin, apiKey, developer, owner, platformAdmin, stranger, tenantId } from '../tenant/tenant.decider-fixtures';
import type { TenantAccess } from '../tenant/tenant.guards';
import type { TenantStatus } from '../tenant/tenant.events';
import type { ApiKeyEvent } from './apikey.events';
import { apiKeyDecider } from './apikey.decider';

const apiKeys = spec(apiKeyDecider);
const keyId = 'd0000000-0000-4000-8000-000000000001';
const otherTenantId = '0b8e7f6a-2222-4c1d-9e2f-000000000002';

const access = (
  caller: Caller,
  role: TenantRole | undefined,
  status: TenantStatus = 'active',
  id = tenantId,
): TenantAccess => ({
  tenantId: id,
  status,
  role,
  caller,
});
const created: ApiKeyEvent = {
  type: 'ApiKeyCreated',
  data: { keyId, tenantId, name: 'ci', role: 'developer', prefix: 'caas_abcdefg' },
};

describe('api key decider', () => {
  describe('CreateApiKey', () => {
    const create = (tenant: TenantAccess, role: TenantRole = 'developer') =>
      ({ kind: 'CreateApiKey', keyId, name: 'ci', role, prefix: 'caas_abcdefg', tenant }) as const;

    it('an owner or an admin creates a key', () => {
      apiKeys
        .given([])
        .when(create(access(owner, 'owner')))
        .then([created]);
      apiKeys
        .given([])
        .when(create(access(admin, 'admin')))
        .then([created]);
    });
    it('a key never out-ranks its creator', () => {
      apiKeys
        .given([])
        .when(create(access(admin, 'admin'), 'owner'))
        .thenFails('forbidden', /owner/);
      apiKeys
        .given([])
        .when(create(access(owner, 'owner'), 'owner'))
        .then([{ ...created, data: { ...created.data, role: 'owner' } } as ApiKeyEvent]);
      apiKeys
        .given([])
        .when(create(access(apiKey('admin'), 'admin'), 'owner'))
        .thenFails('forbidden');
    });
    it('a developer is forbidden, a stranger and a deleted tenant get not_found', () => {
      apiKeys
        .given([])
        .when(create(access(developer, 'developer')))
        .thenFails('forbidden');
      apiKeys
        .given([])
        .when(create(access(stranger, undefined)))
        .thenFails('not_found');
      apiKeys
        .given([])
        .when(create(access(owner, 'owner', 'deleted')))
        .thenFails('not_found');
    });
    it('is refused while the tenant is suspended', () =>
      apiKeys
        .given([])
        .when(create(access(owner, 'owner', 'suspended')))
        .thenFails('conflict'));
  });

  describe('RevokeApiKey', () => {
    const revoke = (tenant: TenantAccess) => ({ kind: 'RevokeApiKey', keyId, tenant }) as const;
    const revoked: ApiKeyEvent = { type: 'ApiKeyRevoked', data: { keyId, tenantId } };

    it('an owner or an admin revokes, also while suspended', () => {
      apiKeys
        .given([created])
        .when(revoke(access(owner, 'owner')))
        .then([revoked]);
      apiKeys
        .given([created])
        .when(revoke(access(admin, 'admin', 'suspended')))
        .then([revoked]);
    });
    it('revoking twice changes nothing', () =>
      apiKeys
        .given([created, revoked])
        .when(revoke(access(owner, 'owner')))
        .then([]));
    it("another tenant's key is not found, even for that tenant's admin", () =>
      apiKeys
        .given([created])
        .when(revoke(access(admin, 'admin', 'active', otherTenantId)))
        .thenFails('not_found'));
    it('an unknown key is not found; a developer is forbidden; platform staff are forbidden', () => {
      apiKeys
        .given([])
        .when(revoke(access(owner, 'owner')))
        .thenFails('not_found');
      apiKeys
        .given([created])
        .when(revoke(access(developer, 'developer')))
        .thenFails('forbidden');
      apiKeys
        .given([created])
        .when(revoke(access(platformAdmin, undefined)))
        .thenFails('forbidden');
    });
  });
});
