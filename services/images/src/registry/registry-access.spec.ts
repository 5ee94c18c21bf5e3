import type { TenantRole } from '@caas/contracts';
import { type CallerRights, type Visibility, grantedActions, namespaceOf } from './registry-access';
import { parseScope } from './registry-scope';

const TENANT = '3f0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';
const scope = (text: string) => parseScope(text)!;
const member = (role: TenantRole | null): CallerRights => ({ role, platformAdmin: false });
const anonymous = member(null);
const admin: CallerRights = { role: null, platformAdmin: true };

describe('namespaceOf', () => {
  it('reads the owning tenant, the market, or nobody', () => {
    expect(namespaceOf(`${TENANT}/web`)).toEqual({ kind: 'tenant', tenantId: TENANT });
    expect(namespaceOf(`${TENANT}/team/web`)).toEqual({ kind: 'tenant', tenantId: TENANT });
    expect(namespaceOf('library/nginx')).toEqual({ kind: 'market' });
    expect(namespaceOf('web')).toBeUndefined();
    expect(namespaceOf('acme/web')).toBeUndefined();
  });
});

describe('grantedActions: the intersection of what is asked and what the caller may do', () => {
  const pullPush = scope(`repository:${TENANT}/web:pull,push`);

  it.each<[string, CallerRights, Visibility, string[]]>([
    ['an owner, private', member('owner'), 'private', ['pull', 'push']],
    ['a developer, private', member('developer'), 'private', ['pull', 'push']],
    ['a viewer, private', member('viewer'), 'private', []],
    ['a viewer, tenant', member('viewer'), 'tenant', ['pull']],
    ['a viewer, public', member('viewer'), 'public', ['pull']],
    ['another tenant, private', member(null), 'private', []],
    ['another tenant, tenant', member(null), 'tenant', []],
    ['another tenant, public', member(null), 'public', ['pull']],
    ['anonymous, public', anonymous, 'public', ['pull']],
    ['a platform admin, private', admin, 'private', []],
  ])('%s', (_, caller, visibility, expected) => {
    expect(grantedActions(pullPush, caller, visibility)).toEqual(expected);
  });

  it('treats a repository nobody pushed yet as private', () => {
    expect(grantedActions(pullPush, member(null))).toEqual([]);
    expect(grantedActions(pullPush, member('developer'))).toEqual(['pull', 'push']);
  });

  it('lets only managers delete, and grants * only when every action is allowed', () => {
    const all = scope(`repository:${TENANT}/web:*`);
    expect(grantedActions(all, member('admin'))).toEqual(['*']);
    expect(grantedActions(all, member('developer'))).toEqual(['pull', 'push']);
    expect(grantedActions(scope(`repository:${TENANT}/web:delete`), member('developer'))).toEqual([]);
  });

  it('lets anyone pull from the market, and only platform admins publish there', () => {
    const market = scope('repository:library/nginx:pull,push');
    expect(grantedActions(market, anonymous)).toEqual(['pull']);
    expect(grantedActions(market, member('owner'))).toEqual(['pull']);
    expect(grantedActions(market, admin)).toEqual(['pull', 'push']);
  });

  it('grants nothing outside a tenant namespace or the market', () => {
    expect(grantedActions(scope('repository:acme/web:pull'), member('owner'), 'public')).toEqual([]);
  });

  it('lists the catalog for platform admins only', () => {
    expect(grantedActions(scope('registry:catalog:*'), admin)).toEqual(['*']);
    expect(grantedActions(scope('registry:catalog:*'), member('owner'))).toEqual([]);
  });
});
