import { meterCommandsOfTenancy } from './tenancy-facts';

const created = '2026-11-22T09:05:00.000Z';

describe('meterCommandsOfTenancy: tenancy events as meter commands', () => {
  it('a new tenant is on its plan from when tenancy recorded it', () => {
    const event = {
      type: 'TenantCreated',
      data: { tenantId: 't-1', name: 'Acme', planId: 'pro', ownerUserId: 'u-1' },
    } as const;
    expect(meterCommandsOfTenancy(event, created)).toEqual([
      { kind: 'RecordPlan', tenantId: 't-1', planId: 'pro', at: created },
    ]);
  });

  it('a plan change counts from when it takes effect, not from when it was recorded', () => {
    const event = {
      type: 'TenantPlanChanged',
      data: { tenantId: 't-1', planId: 'enterprise', effectiveAt: '2026-12-01T00:00:00.000Z' },
    } as const;
    expect(meterCommandsOfTenancy(event, created)).toEqual([
      { kind: 'RecordPlan', tenantId: 't-1', planId: 'enterprise', at: '2026-12-01T00:00:00.000Z' },
    ]);
  });

  it('a deleted tenant departs when tenancy recorded the deletion', () => {
    expect(meterCommandsOfTenancy({ type: 'TenantDeleted', data: { tenantId: 't-1' } }, created)).toEqual([
      { kind: 'RecordTenantDeleted', tenantId: 't-1', at: created },
    ]);
  });

  it('anything else is nothing to billing', () => {
    expect(meterCommandsOfTenancy({ type: 'TenantRenamed', data: { tenantId: 't-1', name: 'B' } }, created)).toEqual(
      [],
    );
    expect(
      meterCommandsOfTenancy({ type: 'TenantSuspended', data: { tenantId: 't-1', reason: 'x' } }, created),
    ).toEqual([]);
  });
});
