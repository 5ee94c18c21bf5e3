import { fold } from '@caas/domain';
import { spec } from '@caas/domain/src/decider-spec';
import {
  admin,
  apiKey,
  created,
  deleted,
  developer,
  finance,
  owner,
  ownerId,
  platformAdmin,
  staffed,
  stranger,
  suspended,
  tenantId,
  viewer,
} from './tenant.decider-fixtures';
import { tenantDecider } from './tenant.decider';
import { planInForce } from './tenant.events';

const tenant = spec(tenantDecider);
const now = '2026-11-22T10:00:00.000Z';

describe('tenant decider: lifecycle', () => {
  describe('CreateTenant', () => {
    const create = {
      kind: 'CreateTenant',
      tenantId,
      name: 'Acme',
      planId: 'free',
      planDefined: true,
      ownerUserId: ownerId,
    } as const;

    it('creates the tenant with its creator as owner', () => tenant.given([]).when(create).then(created));
    it('refuses a plan that does not exist', () =>
      tenant
        .given([])
        .when({ ...create, planDefined: false })
        .thenFails('validation', /plan 'free'/));
    it('refuses an id that is taken', () => tenant.given(created).when(create).thenFails('conflict'));
  });

  describe('RenameTenant', () => {
    const rename = (caller = owner, name = 'Acme Inc') => ({ kind: 'RenameTenant', tenantId, caller, name }) as const;

    it('renames for an owner or an admin', () => {
      tenant
        .given(staffed)
        .when(rename(owner))
        .then([{ type: 'TenantRenamed', data: { tenantId, name: 'Acme Inc' } }]);
      tenant
        .given(staffed)
        .when(rename(admin))
        .then([{ type: 'TenantRenamed', data: { tenantId, name: 'Acme Inc' } }]);
    });
    it('also for an API key with a managing role', () =>
      tenant
        .given(staffed)
        .when(rename(apiKey('admin')))
        .then([{ type: 'TenantRenamed', data: { tenantId, name: 'Acme Inc' } }]));
    it('the same name changes nothing', () => tenant.given(staffed).when(rename(owner, 'Acme')).then([]));
    it('is forbidden to a developer, a viewer and a viewer key', () => {
      tenant.given(staffed).when(rename(developer)).thenFails('forbidden');
      tenant.given(staffed).when(rename(viewer)).thenFails('forbidden');
      tenant
        .given(staffed)
        .when(rename(apiKey('viewer')))
        .thenFails('forbidden');
    });
    it('answers not_found to a non-member, for a deleted tenant and for no tenant at all', () => {
      tenant.given(staffed).when(rename(stranger)).thenFails('not_found');
      tenant
        .given([...staffed, deleted])
        .when(rename(owner))
        .thenFails('not_found');
      tenant.given([]).when(rename(owner)).thenFails('not_found');
    });
    it('platform staff see the tenant but may not rename it', () =>
      tenant.given(staffed).when(rename(platformAdmin)).thenFails('forbidden'));
    it('is refused with conflict while suspended', () =>
      tenant
        .given([...staffed, suspended])
        .when(rename(owner))
        .thenFails('conflict', /suspended/));
  });

  describe('SuspendTenant / ResumeTenant', () => {
    const suspend = (caller = platformAdmin) =>
      ({ kind: 'SuspendTenant', tenantId, caller, reason: 'unpaid' }) as const;
    const resume = (caller = platformAdmin) => ({ kind: 'ResumeTenant', tenantId, caller }) as const;

    it('a platform admin suspends and resumes', () => {
      tenant.given(staffed).when(suspend()).then([suspended]);
      tenant
        .given([...staffed, suspended])
        .when(resume())
        .then([{ type: 'TenantResumed', data: { tenantId } }]);
    });
    it('repeating either changes nothing', () => {
      tenant
        .given([...staffed, suspended])
        .when(suspend())
        .then([]);
      tenant.given(staffed).when(resume()).then([]);
    });
    it('is forbidden to the owner and to finance', () => {
      tenant.given(staffed).when(suspend(owner)).thenFails('forbidden');
      tenant
        .given([...staffed, suspended])
        .when(resume(owner))
        .thenFails('forbidden');
      tenant.given(staffed).when(suspend(finance)).thenFails('forbidden');
    });
    it('answers not_found to a stranger and for a deleted tenant', () => {
      tenant.given(staffed).when(suspend(stranger)).thenFails('not_found');
      tenant
        .given([...staffed, deleted])
        .when(resume())
        .thenFails('not_found');
    });
  });

  describe('DeleteTenant', () => {
    const remove = (caller = owner) => ({ kind: 'DeleteTenant', tenantId, caller }) as const;

    it('an owner deletes, also while suspended', () => {
      tenant.given(staffed).when(remove()).then([deleted]);
      tenant
        .given([...staffed, suspended])
        .when(remove())
        .then([deleted]);
    });
    it('is forbidden to an admin and a platform admin', () => {
      tenant.given(staffed).when(remove(admin)).thenFails('forbidden');
      tenant.given(staffed).when(remove(platformAdmin)).thenFails('forbidden');
    });
    it('a deleted tenant is not found', () =>
      tenant
        .given([...staffed, deleted])
        .when(remove())
        .thenFails('not_found'));
  });

  describe('ChangePlan', () => {
    const change = (caller = owner, extra: { planId?: string; effectiveAt?: string; planDefined?: boolean } = {}) =>
      ({ kind: 'ChangePlan', tenantId, caller, planId: 'pro', planDefined: true, now, ...extra }) as const;
    const changed = (planId: string, effectiveAt: string) => ({
      type: 'TenantPlanChanged' as const,
      data: { tenantId, planId, effectiveAt },
    });

    it('takes effect now by default', () =>
      tenant
        .given(staffed)
        .when(change())
        .then([changed('pro', now)]));
    it('records a future effectiveAt as given', () =>
      tenant
        .given(staffed)
        .when(change(owner, { effectiveAt: '2026-12-01T00:00:00Z' }))
        .then([changed('pro', '2026-12-01T00:00:00.000Z')]));
    it('never takes effect in the past', () =>
      tenant
        .given(staffed)
        .when(change(owner, { effectiveAt: '2020-01-01T00:00:00Z' }))
        .then([changed('pro', now)]));
    it('a platform admin may change it too', () =>
      tenant
        .given(staffed)
        .when(change(platformAdmin))
        .then([changed('pro', now)]));
    it('is forbidden to an admin', () => tenant.given(staffed).when(change(admin)).thenFails('forbidden'));
    it('refuses an unknown plan', () =>
      tenant
        .given(staffed)
        .when(change(owner, { planDefined: false }))
        .thenFails('validation', /plan 'pro'/));
    it('the plan already in force, with nothing scheduled, changes nothing', () =>
      tenant
        .given(staffed)
        .when(change(owner, { planId: 'free' }))
        .then([]));
    it('going back to the current plan cancels a scheduled change', () =>
      tenant
        .given([...staffed, changed('pro', '2026-12-01T00:00:00.000Z')])
        .when(change(owner, { planId: 'free' }))
        .then([changed('free', now)]));
    it('is refused while suspended', () =>
      tenant
        .given([...staffed, suspended])
        .when(change(platformAdmin))
        .thenFails('conflict'));
    it('the plan in force follows effectiveAt, and a later decision supersedes what was scheduled after it', () => {
      const scheduled = fold(tenantDecider, [...staffed, changed('pro', '2026-12-01T00:00:00.000Z')]);
      expect(planInForce(scheduled, now)).toBe('free');
      expect(planInForce(scheduled, '2026-12-01T00:00:00.000Z')).toBe('pro');
      const cancelled = tenantDecider.evolve(scheduled, changed('free', now));
      expect(planInForce(cancelled, '2026-12-02T00:00:00.000Z')).toBe('free');
    });
    it('a non-member gets not_found', () => tenant.given(created).when(change(stranger)).thenFails('not_found'));
  });
});
