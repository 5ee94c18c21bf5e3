import { type Decider, assertNever } from '@caas/domain';
import { type AcceptInvitation, acceptInvitation } from './accept-invitation';
import { type ChangeMemberRole, changeMemberRole } from './change-member-role';
import { type ChangePlan, changePlan } from './change-plan';
import { type CreateEnvironment, createEnvironment } from './create-environment';
import { type CreateTenant, createTenant } from './create-tenant';
import { type DeleteEnvironment, deleteEnvironment } from './delete-environment';
import { type DeleteTenant, deleteTenant } from './delete-tenant';
import { type InviteMember, inviteMember } from './invite-member';
import { type RemoveMember, removeMember } from './remove-member';
import { type RenameTenant, renameTenant } from './rename-tenant';
import { type ResumeTenant, resumeTenant } from './resume-tenant';
import { type SuspendTenant, suspendTenant } from './suspend-tenant';
import { type TenantEvent, type TenantState, evolveTenant, initialTenantState } from './tenant.events';

export type TenantCommand =
  | CreateTenant
  | RenameTenant
  | SuspendTenant
  | ResumeTenant
  | DeleteTenant
  | ChangePlan
  | InviteMember
  | AcceptInvitation
  | ChangeMemberRole
  | RemoveMember
  | CreateEnvironment
  | DeleteEnvironment;

export const tenantDecider: Decider<TenantCommand, TenantEvent, TenantState> = {
  initialState: initialTenantState,
  evolve: evolveTenant,
  decide: (command, state) => {
    switch (command.kind) {
      case 'CreateTenant':
        return createTenant(command, state);
      case 'RenameTenant':
        return renameTenant(command, state);
      case 'SuspendTenant':
        return suspendTenant(command, state);
      case 'ResumeTenant':
        return resumeTenant(command, state);
      case 'DeleteTenant':
        return deleteTenant(command, state);
      case 'ChangePlan':
        return changePlan(command, state);
      case 'InviteMember':
        return inviteMember(command, state);
      case 'AcceptInvitation':
        return acceptInvitation(command, state);
      case 'ChangeMemberRole':
        return changeMemberRole(command, state);
      case 'RemoveMember':
        return removeMember(command, state);
      case 'CreateEnvironment':
        return createEnvironment(command, state);
      case 'DeleteEnvironment':
        return deleteEnvironment(command, state);
      default:
        return assertNever(command);
    }
  },
};
