import { forbidden, invalid } from '@caas/contracts';
import { type Caller, isPlatformAdmin } from '../shared/caller';
import { type TenantEvent, type TenantState, planInForce } from './tenant.events';
import { accessOf, requireActive, requireVisible } from './tenant.guards';

export interface ChangePlan {
  readonly kind: 'ChangePlan';
  readonly tenantId: string;
  readonly caller: Caller;
  readonly planId: string;
  readonly planDefined: boolean;
  /** ISO 8601; now when omitted. */
  readonly effectiveAt?: string;
  /** The handler's clock, so the decision stays a pure function. */
  readonly now: string;
}

/**
 * Owners and platform admins. Plans never change retroactively: an effectiveAt in the
 * past takes effect now. Asking for the plan that will be in force then anyway, with
 * nothing scheduled after it, changes nothing.
 */
export function changePlan(command: ChangePlan, state: TenantState): TenantEvent[] {
  const access = accessOf(state, command.tenantId, command.caller);
  requireVisible(access);
  if (access.role !== 'owner' && !isPlatformAdmin(command.caller)) {
    throw forbidden('Only an owner or a platform admin may change the plan');
  }
  requireActive(access);
  if (!command.planDefined) throw invalid('planId', 'exists', `plan '${command.planId}' does not exist`);
  const requested = command.effectiveAt ? Date.parse(command.effectiveAt) : Number.NaN;
  const effectiveAt = new Date(
    Math.max(Number.isNaN(requested) ? 0 : requested, Date.parse(command.now)),
  ).toISOString();
  const laterChanges = state.planChanges.some(
    (change) => change.effectiveAt !== null && Date.parse(change.effectiveAt) > Date.parse(effectiveAt),
  );
  if (planInForce(state, effectiveAt) === command.planId && !laterChanges) return [];
  return [{ type: 'TenantPlanChanged', data: { tenantId: command.tenantId, planId: command.planId, effectiveAt } }];
}
