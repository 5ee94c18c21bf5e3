import {
  AcceptInvitationV1,
  ChangeMemberRoleV1,
  type InvitationView,
  InviteMemberV1,
  MemberRefV1,
  type MemberView,
  type Membership,
  ScopeToTenantV1,
  TENANCY,
  forbidden,
  notFound,
} from '@caas/contracts';
import { loadState } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { callerOf, userIdOf } from '../shared/caller';
import { newId } from '../shared/new-id';
import { tenantInScope } from '@caas/messaging/src/rpc/tenant-scope';
import { EVENT_STORE } from '../shared/tokens';
import { normalizeEmail } from '../user/email-claim';
import { userDecider } from '../user/user.decider';
import { userStream } from '../user/user.events';
import { MemberQueries } from './member.queries';
import { TenantCommands } from './tenant-commands';
import { TenantReader } from './tenant-reader';

@Controller()
@UseFilters(RpcErrorFilter)
export class MemberHandlers {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: TenantCommands,
    private readonly reader: TenantReader,
    private readonly queries: MemberQueries,
  ) {}

  @MessagePattern(TENANCY.inviteMember)
  async invite(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<{ invitationId: string }> {
    const { email, role } = await validated(InviteMemberV1, payload);
    const tenantId = tenantInScope(meta);
    const invitationId = newId(meta, 'invitation');
    const command = {
      kind: 'InviteMember',
      tenantId,
      caller: callerOf(meta),
      invitationId,
      email: normalizeEmail(email),
      role,
    } as const;
    await this.commands.run(tenantId, command, meta);
    return { invitationId };
  }

  /**
   * The accepting user is not a member yet, so their credential is not scoped to the
   * tenant: the tenant is the invitation's own (read model), and the tenant aggregate
   * then checks the invitation against the user's address from their account.
   */
  @MessagePattern(TENANCY.acceptInvitation)
  async accept(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<Membership> {
    const { invitationId } = await validated(AcceptInvitationV1, payload);
    const userId = userIdOf(callerOf(meta));
    if (!userId) throw forbidden('Only a signed-in user can accept an invitation');
    const tenantId = await this.queries.tenantOfInvitation(invitationId);
    const { state: user } = await loadState(this.store, userDecider, userStream(userId));
    if (!tenantId || !user.exists) throw notFound('invitation', invitationId);
    const command = { kind: 'AcceptInvitation', tenantId, invitationId, userId, email: user.email } as const;
    const { state } = await this.commands.run(tenantId, command, meta);
    return { tenantId, userId, role: state.members[userId] };
  }

  @MessagePattern(TENANCY.changeMemberRole)
  async changeRole(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<Membership> {
    const { userId, role } = await validated(ChangeMemberRoleV1, payload);
    const tenantId = tenantInScope(meta);
    await this.commands.run(
      tenantId,
      { kind: 'ChangeMemberRole', tenantId, caller: callerOf(meta), userId, role },
      meta,
    );
    return { tenantId, userId, role };
  }

  @MessagePattern(TENANCY.removeMember)
  async remove(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<{ tenantId: string; userId: string }> {
    const { userId } = await validated(MemberRefV1, payload);
    const tenantId = tenantInScope(meta);
    await this.commands.run(tenantId, { kind: 'RemoveMember', tenantId, caller: callerOf(meta), userId }, meta);
    return { tenantId, userId };
  }

  @MessagePattern(TENANCY.listMembers)
  async listMembers(@Meta() meta: RequestMeta): Promise<MemberView[]> {
    const { tenantId } = await this.reader.scope(meta);
    return this.queries.members(tenantId);
  }

  @MessagePattern(TENANCY.listInvitations)
  async listInvitations(@Meta() meta: RequestMeta): Promise<InvitationView[]> {
    const { tenantId } = await this.reader.scope(meta);
    return this.queries.invitations(tenantId);
  }

  /**
   * The caller's role in the tenant named in the payload — the one call that takes a
   * tenant id from the payload, because it is how the gateway decides whether to scope
   * a user's token to that tenant. A user who is not a member gets not_found.
   */
  @MessagePattern(TENANCY.membership)
  async membership(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<Membership> {
    const { tenantId } = await validated(ScopeToTenantV1, payload);
    const userId = userIdOf(callerOf(meta));
    const role = userId ? await this.queries.roleOf(tenantId, userId) : undefined;
    if (!userId || !role) throw notFound('tenant', tenantId);
    return { tenantId, userId, role };
  }
}
