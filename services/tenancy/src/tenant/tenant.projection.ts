import type { RecordedEvent } from '@caas/event-store';
import { Column, Entity, type EntityManager, Index, MoreThan, PrimaryColumn } from 'typeorm';
import { recordedAs } from '@caas/domain';
import type { TenantEvent } from './tenant.events';

@Entity({ name: 'tenants' })
export class TenantRow {
  @PrimaryColumn('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text')
  name!: string;

  /** 'active' | 'suspended' | 'deleted': a deleted tenant keeps its row, for platform staff. */
  @Column('text')
  status!: 'active' | 'suspended' | 'deleted';

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

/** The plan chosen at creation and every change after; queries pick the one in force. */
@Entity({ name: 'tenant_plan_changes' })
export class TenantPlanChangeRow {
  @PrimaryColumn('text', { name: 'tenant_id' })
  tenantId!: string;

  /** The tenant stream revision of the event: orders changes effective at the same instant. */
  @PrimaryColumn('bigint')
  revision!: string;

  @Column('text', { name: 'plan_id' })
  planId!: string;

  @Column('timestamptz', { name: 'effective_at' })
  effectiveAt!: Date;
}

@Entity({ name: 'members' })
@Index('members_user', ['userId'])
export class MemberRow {
  @PrimaryColumn('text', { name: 'tenant_id' })
  tenantId!: string;

  @PrimaryColumn('text', { name: 'user_id' })
  userId!: string;

  @Column('text')
  role!: string;

  @Column('timestamptz', { name: 'joined_at' })
  joinedAt!: Date;
}

@Entity({ name: 'invitations' })
@Index('invitations_tenant', ['tenantId'])
export class InvitationRow {
  @PrimaryColumn('text', { name: 'invitation_id' })
  invitationId!: string;

  @Column('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text')
  email!: string;

  @Column('text')
  role!: string;

  @Column('text')
  status!: 'pending' | 'accepted';

  @Column('timestamptz', { name: 'invited_at' })
  invitedAt!: Date;
}

@Entity({ name: 'environments' })
@Index('environments_tenant', ['tenantId'])
export class EnvironmentRow {
  @PrimaryColumn('text', { name: 'environment_id' })
  environmentId!: string;

  @Column('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text')
  name!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

export const TENANT_ENTITIES = [TenantRow, TenantPlanChangeRow, MemberRow, InvitationRow, EnvironmentRow];

export async function projectTenantEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recordedAs<TenantEvent>(recorded);
  const at = event.created;
  const revision = event.revision.toString();
  switch (event.type) {
    case 'TenantCreated': {
      const { tenantId, name, planId } = event.data;
      await manager.upsert(TenantRow, { tenantId, name, status: 'active', createdAt: at }, ['tenantId']);
      await manager.upsert(TenantPlanChangeRow, { tenantId, revision, planId, effectiveAt: at }, [
        'tenantId',
        'revision',
      ]);
      return;
    }
    case 'TenantRenamed':
      await manager.update(TenantRow, { tenantId: event.data.tenantId }, { name: event.data.name });
      return;
    case 'TenantSuspended':
      await manager.update(TenantRow, { tenantId: event.data.tenantId }, { status: 'suspended' });
      return;
    case 'TenantResumed':
      await manager.update(TenantRow, { tenantId: event.data.tenantId }, { status: 'active' });
      return;
    case 'TenantDeleted':
      await manager.update(TenantRow, { tenantId: event.data.tenantId }, { status: 'deleted' });
      return;
    case 'TenantPlanChanged': {
      const { tenantId, planId } = event.data;
      const effectiveAt = new Date(event.data.effectiveAt);
      // Same rule as the aggregate (stillScheduled): this decision supersedes changes scheduled after it.
      await manager.delete(TenantPlanChangeRow, { tenantId, effectiveAt: MoreThan(effectiveAt) });
      await manager.upsert(TenantPlanChangeRow, { tenantId, revision, planId, effectiveAt }, ['tenantId', 'revision']);
      return;
    }
    case 'MemberInvited': {
      const { tenantId, invitationId, email, role } = event.data;
      const row = { invitationId, tenantId, email, role, status: 'pending' as const, invitedAt: at };
      await manager.upsert(InvitationRow, row, ['invitationId']);
      return;
    }
    case 'MemberJoined': {
      const { tenantId, invitationId, userId, role } = event.data;
      await manager.upsert(MemberRow, { tenantId, userId, role, joinedAt: at }, ['tenantId', 'userId']);
      if (invitationId) await manager.update(InvitationRow, { invitationId }, { status: 'accepted' });
      return;
    }
    case 'MemberRoleChanged':
      await manager.update(
        MemberRow,
        { tenantId: event.data.tenantId, userId: event.data.userId },
        { role: event.data.role },
      );
      return;
    case 'MemberRemoved':
      await manager.delete(MemberRow, { tenantId: event.data.tenantId, userId: event.data.userId });
      return;
    case 'EnvironmentCreated': {
      const { tenantId, environmentId, name } = event.data;
      await manager.upsert(EnvironmentRow, { environmentId, tenantId, name, createdAt: at }, ['environmentId']);
      return;
    }
    case 'EnvironmentDeleted':
      await manager.delete(EnvironmentRow, { environmentId: event.data.environmentId });
      return;
  }
}
