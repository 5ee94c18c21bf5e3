import { CaasError, type EnvironmentView, type PlanView, TENANCY } from '@caas/contracts';
import { ExpiringCache } from '@caas/messaging/src/rpc/expiring-cache';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import type { RpcClient } from '@caas/messaging/src/rpc/rpc-client';

/**
 * The longest an answer is used. Tenancy's events (TenancyChanges) make it forgotten as
 * soon as they arrive; this bounds a change whose event never reached this instance.
 */
export const TENANCY_ANSWER_TTL_MS = 60_000;

/**
 * What scheduling asks tenancy, always with the caller's own headers: tenancy decides
 * again whether that caller may see the tenant, so a forged tenant id gets nothing.
 *
 * Answers are remembered per tenant and caller, because every create waits on them (two
 * NATS round trips, a fifth of the control plane's time to the engine), and forgotten when
 * any event of that tenant comes from tenancy (TenancyChanges). Only what lets a command
 * through is taken from memory: a refusal — an environment not in the list, a quota the
 * remembered plan would exceed — is decided on tenancy's answer of now, so an environment
 * just created or a plan just upgraded counts at once. What can slip through is a command
 * in an environment deleted, or under a plan lowered, before that event got here (the
 * relay's latency, tens of milliseconds).
 */
export class TenancyClient {
  private readonly plans: ExpiringCache<PlanView>;
  private readonly environments: ExpiringCache<EnvironmentView[]>;

  constructor(
    private readonly rpc: RpcClient,
    /** Tests only: tenancy listens on `<prefix>.tenancy.…`. */
    private readonly subjectPrefix?: string,
    ttlMs = TENANCY_ANSWER_TTL_MS,
  ) {
    this.plans = new ExpiringCache(ttlMs);
    this.environments = new ExpiringCache(ttlMs);
  }

  /** Forgets what tenancy said about this tenant. */
  forgetTenant(tenantId: string): void {
    const ofTenant = (key: string) => key.startsWith(`${tenantId}${KEY_SEPARATOR}`);
    this.plans.forget(ofTenant);
    this.environments.forget(ofTenant);
  }

  /** Forgets everything: when tenancy's events may have been missed. */
  forgetAll(): void {
    this.plans.forget();
    this.environments.forget();
  }

  /** The plan in force: remembered, or (`fresh`) asked now. The one source of every quota check. */
  quotas(meta: RequestMeta, fresh = false): Promise<PlanView> {
    const load = () => this.request<PlanView>(TENANCY.getQuotas, meta);
    return fresh ? this.plans.refresh(callerKey(meta), load) : this.plans.get(callerKey(meta), load);
  }

  /** Refuses with not_found (naming the field) unless `environmentId` is one of the caller's tenant's. */
  async requireEnvironment(meta: RequestMeta, environmentId: string): Promise<void> {
    const load = () => this.request<EnvironmentView[]>(TENANCY.listEnvironments, meta);
    const has = (environments: EnvironmentView[]) =>
      environments.some((environment) => environment.environmentId === environmentId);
    if (has(await this.environments.get(callerKey(meta), load))) return;
    if (has(await this.environments.refresh(callerKey(meta), load))) return;
    throw new CaasError('not_found', `environmentId: environment '${environmentId}' not found in this tenant`, {
      details: { field: 'environmentId', environmentId },
    });
  }

  private request<Result>(pattern: string, meta: RequestMeta): Promise<Result> {
    return this.rpc.request<Result>(this.subjectPrefix ? `${this.subjectPrefix}.${pattern}` : pattern, {}, meta);
  }
}

const KEY_SEPARATOR = '\u0000';

/** Tenancy's answer depends on the tenant and on who asks (a viewer may see less than an owner). */
function callerKey(meta: RequestMeta): string {
  return [meta.tenantId ?? '', meta.actor.type, meta.actor.id, [...meta.roles].sort().join(',')].join(KEY_SEPARATOR);
}
