import type { InvitationView, MemberView, TenantRole } from '@caas/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UserRow } from '../user/user.projection';
import { InvitationRow, MemberRow, TenantRow } from './tenant.projection';

@Injectable()
export class MemberQueries {
  constructor(private readonly dataSource: DataSource) {}

  async members(tenantId: string): Promise<MemberView[]> {
    const rows = await this.dataSource
      .createQueryBuilder(MemberRow, 'm')
      .innerJoin(UserRow, 'u', 'u.userId = m.userId')
      .select('m.userId', 'userId')
      .addSelect('u.email', 'email')
      .addSelect('u.name', 'name')
      .addSelect('m.role', 'role')
      .addSelect('m.joinedAt', 'joinedAt')
      .where('m.tenantId = :tenantId', { tenantId })
      .orderBy('m.joinedAt')
      .getRawMany<Omit<MemberView, 'joinedAt'> & { joinedAt: Date }>();
    return rows.map((row) => ({ ...row, joinedAt: row.joinedAt.toISOString() }));
  }

  async invitations(tenantId: string): Promise<InvitationView[]> {
    const rows = await this.dataSource.manager.find(InvitationRow, {
      where: { tenantId },
      order: { invitedAt: 'ASC' },
    });
    return rows.map(({ invitationId, email, role, status, invitedAt }) => ({
      invitationId,
      tenantId,
      email,
      role: role as TenantRole,
      status,
      invitedAt: invitedAt.toISOString(),
    }));
  }

  /** The tenant an invitation belongs to: accepting needs it, and the caller is not a member yet. */
  async tenantOfInvitation(invitationId: string): Promise<string | undefined> {
    return (await this.dataSource.manager.findOneBy(InvitationRow, { invitationId }))?.tenantId;
  }

  /** A user's role in a live tenant. */
  async roleOf(tenantId: string, userId: string): Promise<TenantRole | undefined> {
    const row = await this.dataSource
      .createQueryBuilder(MemberRow, 'm')
      .innerJoin(TenantRow, 't', "t.tenantId = m.tenantId AND t.status <> 'deleted'")
      .where('m.tenantId = :tenantId AND m.userId = :userId', { tenantId, userId })
      .getOne();
    return row?.role as TenantRole | undefined;
  }
}
