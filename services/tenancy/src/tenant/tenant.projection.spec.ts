import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@caas/event-store';
import type { DataSource } from 'typeorm';
import { openTenancyDatabase } from '../read-model/tenancy-database';
import { TEST_DATABASE_URL } from '../testing/tenancy-test-kit';
import type { TenantEvent } from './tenant.events';
import { InvitationRow, MemberRow, TenantPlanChangeRow, TenantRow, projectTenantEvent } from './tenant.projection';
import { TenantQueries } from './tenant.queries';

/**
 * Applies hand-made events for a tenant id of its own (no stream behind it) and reads
 * them back through the queries; the rows are removed afterwards.
 */
describe('tenant projection (real PostgreSQL read model)', () => {
  let dataSource: DataSource;
  const tenantId = randomUUID();
  let revision = 0n;

  const apply = (event: TenantEvent, created = new Date()) => {
    const recorded = {
      ...event,
      streamId: `tenant-${tenantId}`,
      revision: revision++,
      id: randomUUID(),
      metadata: undefined,
      position: { commit: 0n, prepare: 0n },
      created,
    } as RecordedEvent;
    return dataSource.transaction((manager) => projectTenantEvent(recorded, manager));
  };
  const day = (offset: number) => new Date(Date.now() + offset * 24 * 3600_000).toISOString();

  beforeAll(async () => {
    dataSource = await openTenancyDatabase(TEST_DATABASE_URL);
  });
  afterAll(async () => {
    for (const entity of [TenantRow, TenantPlanChangeRow, MemberRow, InvitationRow]) {
      await dataSource?.manager.delete(entity, { tenantId });
    }
    await dataSource?.destroy();
  });

  it('keeps the plan history and answers the plan in force now; a later decision supersedes what was scheduled', async () => {
    const queries = new TenantQueries(dataSource);
    await apply({ type: 'TenantCreated', data: { tenantId, name: 'Projected', planId: 'free', ownerUserId: 'u1' } });
    await apply({ type: 'TenantPlanChanged', data: { tenantId, planId: 'enterprise', effectiveAt: day(2) } });
    expect((await queries.get(tenantId, undefined)).planId).toBe('free');

    await apply({ type: 'TenantPlanChanged', data: { tenantId, planId: 'pro', effectiveAt: day(1) } });
    const scheduled = await dataSource.manager.find(TenantPlanChangeRow, {
      where: { tenantId },
      order: { revision: 'ASC' },
    });
    // The enterprise change (day 2) was scheduled after the pro one (day 1): superseded.
    expect(scheduled.map((row) => row.planId)).toEqual(['free', 'pro']);

    await apply({ type: 'TenantPlanChanged', data: { tenantId, planId: 'pro', effectiveAt: day(-1) } });
    expect((await queries.get(tenantId, undefined)).planId).toBe('pro');
  });

  it('tracks invitations, members and status', async () => {
    const invitationId = randomUUID();
    await apply({ type: 'MemberInvited', data: { tenantId, invitationId, email: 'g@example.com', role: 'viewer' } });
    await apply({ type: 'MemberJoined', data: { tenantId, invitationId, userId: 'u2', role: 'viewer' } });
    await apply({ type: 'MemberRoleChanged', data: { tenantId, userId: 'u2', role: 'admin' } });
    await apply({ type: 'TenantSuspended', data: { tenantId, reason: 'test' } });

    expect(await dataSource.manager.findOneBy(InvitationRow, { invitationId })).toMatchObject({ status: 'accepted' });
    expect(await dataSource.manager.findOneBy(MemberRow, { tenantId, userId: 'u2' })).toMatchObject({ role: 'admin' });
    expect(await dataSource.manager.findOneBy(TenantRow, { tenantId })).toMatchObject({ status: 'suspended' });

    await apply({ type: 'MemberRemoved', data: { tenantId, userId: 'u2' } });
    await apply({ type: 'TenantDeleted', data: { tenantId } });
    expect(await dataSource.manager.findOneBy(MemberRow, { tenantId, userId: 'u2' })).toBeNull();
    expect(await dataSource.manager.findOneBy(TenantRow, { tenantId })).toMatchObject({ status: 'deleted' });
  });
});
