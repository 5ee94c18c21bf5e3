import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { PublicEvent } from '../events';
import type { ContainerStatus, HostStatus, RolloutStatus } from '../scheduling/scheduling.views';
import type { HostCapacity } from '../scheduling/scheduling.events';
import type { QuotaLimit } from '../tenancy/plan-limits';

/**
 * NATS request/reply subjects of the monitoring dashboards (queue group `monitoring`).
 * Built from CAAS_EVENTS alone (durable `monitoring-dashboard`), so they trail the
 * events by the relay's and the consumer's latency.
 */
export const MONITORING_DASHBOARD = {
  /** The caller's tenant (any tenant role or API key): TenantDashboardView. */
  tenant: 'monitoring.dashboard.tenant',
  /** Every tenant, for users with the platform-admin role (PlatformDashboardQueryV1 → PlatformDashboardView). */
  platform: 'monitoring.dashboard.platform',
} as const;

/** How many events a tenant's dashboard keeps and shows. */
export const DASHBOARD_RECENT_EVENTS = 20;

export const DASHBOARD_TOP_TENANTS = { default: 10, min: 1, max: 100 } as const;

export class PlatformDashboardQueryV1 {
  @ApiPropertyOptional({
    description: 'How many tenants the "top tenants by containers" list shows',
    minimum: DASHBOARD_TOP_TENANTS.min,
    maximum: DASHBOARD_TOP_TENANTS.max,
    default: DASHBOARD_TOP_TENANTS.default,
  })
  @IsOptional()
  // From the query string: "10" arrives as text.
  @Type(() => Number)
  @IsInt()
  @Min(DASHBOARD_TOP_TENANTS.min)
  @Max(DASHBOARD_TOP_TENANTS.max)
  top?: number;
}

/** Containers the platform has not removed, by observed status (the statuses of GET /v1/containers). */
export type ContainerCountsView = { readonly total: number } & Readonly<
  Record<Exclude<ContainerStatus, 'removed'>, number>
>;

/** Services not removed, by rollout status, with their replicas (running = replicas whose container runs). */
export type ServiceCountsView = {
  readonly total: number;
  readonly replicas: { readonly desired: number; readonly running: number };
} & Readonly<Record<RolloutStatus, number>>;

export type HostCountsView = { readonly total: number } & Readonly<Record<HostStatus, number>>;

/** One limit of the plan: what counts against it now, and what the plan allows. */
export interface LimitUsageView {
  readonly limit: QuotaLimit;
  readonly used: number;
  readonly allowed: number;
}

export interface DashboardUsageView {
  readonly planId: string | null;
  readonly planName: string | null;
  /**
   * `tenancy`: the plan tenancy answered now (as GET /v1/quotas shows it); `projected`:
   * tenancy did not answer in time, so the plan the dashboard's own events say;
   * `unknown`: neither (no limits shown).
   */
  readonly planSource: 'tenancy' | 'projected' | 'unknown';
  /** Compute limits (containers, vCPUs, memory), counted as scheduling counts them for its quota checks. */
  readonly limits: readonly LimitUsageView[];
  /** The limits usage is over (after a downgrade), by the shared plan-limits rule. */
  readonly limitsExceeded: readonly QuotaLimit[];
}

export interface MonthToDateCostView {
  readonly period: string;
  readonly currency: string;
  /** Decimal string, six places: the closed hours of the month so far. */
  readonly total: string;
  readonly closedThrough: string | null;
}

export interface TenantDashboardView {
  readonly tenantId: string;
  readonly containers: ContainerCountsView;
  readonly services: ServiceCountsView;
  /** The hosts the tenant's containers are placed on (never the rest of the pool), by status. */
  readonly hosts: HostCountsView;
  readonly usage: DashboardUsageView;
  /** The tenant's last events, newest first (at most DASHBOARD_RECENT_EVENTS). */
  readonly recentEvents: readonly PublicEvent[];
  /** CAAS_EVENTS sequence of the tenant's newest event applied; null before the first. */
  readonly lastEventSequence: number | null;
  /** Billing's running bill; null (with the reason) when billing did not answer in time. */
  readonly monthToDateCost: MonthToDateCostView | null;
  readonly monthToDateCostUnavailable: string | null;
}

export interface DashboardHostView {
  readonly hostId: string;
  readonly environmentId: string | null;
  readonly status: HostStatus;
  readonly capacity: HostCapacity;
  /** Reserved by the containers placed on it and not removed. */
  readonly allocated: HostCapacity;
  readonly containers: number;
}

export interface TopTenantView {
  readonly tenantId: string;
  readonly name: string | null;
  readonly containers: number;
}

export interface PlatformDashboardView {
  readonly tenants: {
    readonly total: number;
    readonly byStatus: Readonly<Record<'active' | 'suspended' | 'deleted', number>>;
    readonly byPlan: Readonly<Record<string, number>>;
  };
  readonly containers: ContainerCountsView;
  readonly services: ServiceCountsView;
  readonly hosts: HostCountsView & { readonly list: readonly DashboardHostView[] };
  /** Events recorded (their `created` time) per context. */
  readonly eventsPerContext: {
    readonly lastFiveMinutes: Readonly<Record<string, number>>;
    readonly lastHour: Readonly<Record<string, number>>;
  };
  readonly topTenantsByContainers: readonly TopTenantView[];
  /** The highest CAAS_EVENTS sequence applied. */
  readonly lastEventSequence: number | null;
}
