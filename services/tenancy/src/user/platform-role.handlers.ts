import { CaasError, GrantPlatformRoleV1, TENANCY, type UserPlatformRolesView, forbidden } from '@caas/contracts';
import { loadState } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import { contextOf } from '@caas/messaging/src/rpc/command-context';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { callerOf, isPlatformAdmin } from '../shared/caller';
import { CommandExecutor } from '../shared/command-executor';
import { EVENT_STORE } from '../shared/tokens';
import { claimantOf, normalizeEmail } from './email-claim';
import { userDecider } from './user.decider';
import { userStream } from './user.events';

/**
 * Platform roles granted by a platform admin. The decider's GrantPlatformRole is also the
 * bootstrap seed's, which runs as the system with no caller, so who may grant is checked
 * here, where a caller comes in.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class PlatformRoleHandlers {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly executor: CommandExecutor,
  ) {}

  /**
   * Granting a role the user already holds records nothing and answers the same. The
   * user's tokens carry the roles they held at login: the new role counts from their
   * next login.
   */
  @MessagePattern(TENANCY.grantPlatformRole)
  async grant(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<UserPlatformRolesView> {
    if (!isPlatformAdmin(callerOf(meta))) throw forbidden('Only a platform admin may grant platform roles');
    const { email, role } = await validated(GrantPlatformRoleV1, payload);
    const userId = await this.userIdOf(email);
    const command = { kind: 'GrantPlatformRole', userId, role } as const;
    const { state } = await this.executor.execute(userDecider, userStream(userId), command, contextOf(meta, null));
    return { userId: state.userId, email: state.email, platformRoles: state.platformRoles };
  }

  /** The account an address belongs to: its claim names it, and the account must exist (not a crashed sign-up). */
  private async userIdOf(email: string): Promise<string> {
    const claimant = await claimantOf(this.store, email);
    if (claimant && (await loadState(this.store, userDecider, userStream(claimant.userId))).state.exists) {
      return claimant.userId;
    }
    throw new CaasError('not_found', `email: no user with e-mail '${normalizeEmail(email)}'`, {
      details: { field: 'email', email: normalizeEmail(email) },
    });
  }
}
