import { BILLING, CaasError, type CurrentBillView, type PlanView, TENANCY } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import type { RpcClient } from '@caas/messaging/src/rpc/rpc-client';

/** How long a dashboard waits for tenancy and billing: past it, it answers without them. */
export const PEER_DEADLINE_MS = 1_000;

/** Tenancy or billing not reachable: the dashboard answers without it rather than not at all. */
const UNREACHABLE = new Set(['timeout', 'unavailable']);

export type BillAnswer = { bill: CurrentBillView } | { unavailable: string };

/**
 * What the dashboard asks other services, always with the caller's own headers, so each
 * decides again what that caller may see. Neither answer is remembered: the plan in
 * force decides `limitsExceeded`, and an upgrade must show at once.
 */
export class DashboardPeers {
  constructor(
    private readonly rpc: RpcClient,
    private readonly deadlineMs = PEER_DEADLINE_MS,
  ) {}

  /** The plan tenancy says is in force; undefined when tenancy does not answer in time. A refusal is thrown. */
  async plan(meta: RequestMeta): Promise<PlanView | undefined> {
    try {
      return await this.rpc.request<PlanView>(TENANCY.getQuotas, {}, meta, this.deadlineMs);
    } catch (error) {
      if (error instanceof CaasError && UNREACHABLE.has(error.code)) return undefined;
      throw error;
    }
  }

  /** Billing's running bill of the month, or why there is none to show. */
  async bill(meta: RequestMeta): Promise<BillAnswer> {
    try {
      return { bill: await this.rpc.request<CurrentBillView>(BILLING.currentBill, {}, meta, this.deadlineMs) };
    } catch (error) {
      if (error instanceof CaasError && error.code === 'timeout') {
        return { unavailable: `billing did not answer within ${this.deadlineMs} ms` };
      }
      if (error instanceof CaasError && error.code === 'unavailable') return { unavailable: 'billing is not running' };
      return { unavailable: `billing refused: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}
