import type {
  ContainerCountsView,
  DashboardHostView,
  HostCountsView,
  PlanQuotas,
  PlatformDashboardView,
  PublicEvent,
  ResourceDemand,
  ServiceCountsView,
  TopTenantView,
} from '@caas/contracts';
import { DASHBOARD_RECENT_EVENTS } from '@caas/contracts';
import type { DataSource } from 'typeorm';

/** What the tables say about one tenant; the plan in force and the bill are asked elsewhere. */
export interface TenantFigures {
  readonly containers: ContainerCountsView;
  readonly services: ServiceCountsView;
  readonly hosts: HostCountsView;
  /** Counted as scheduling counts for its quota checks. */
  readonly demand: ResourceDemand;
  readonly projectedPlan: { planId: string; name: string | null; quotas: PlanQuotas | null } | null;
  readonly recentEvents: PublicEvent[];
  readonly lastEventSequence: number | null;
}

/** scheduling's host status: draining is a drained host that is neither down nor removed. */
const HOST_STATUS = `case when h.status in ('down', 'removed') then h.status when h.drained then 'draining' else 'up' end`;

type Counted = { key: string; n: number };

const CONTAINER_STATES = ['pending', 'scheduled', 'running', 'stopped', 'exited'] as const;
const ROLLOUT_STATES = ['idle', 'rolling', 'rolled-back'] as const;
const HOST_STATES = ['up', 'down', 'draining', 'removed'] as const;

function counts<Key extends string>(keys: readonly Key[], rows: Counted[]): { total: number } & Record<Key, number> {
  const result = Object.fromEntries(keys.map((key) => [key, 0])) as Record<Key, number>;
  let total = 0;
  for (const { key, n } of rows) {
    if (key in result) result[key as Key] += n;
    total += n;
  }
  return { total, ...result };
}

/** CPUs are hundredths in the contracts: sums of 0.1 must not show 0.30000000000000004. */
const cpus = (value: number) => Math.round(value * 100) / 100;

export class DashboardQueries {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One statement: a dashboard is asked often (a page refreshing), and each round trip
   * to PostgreSQL costs more than the small indexed reads inside it.
   */
  async tenant(tenantId: string): Promise<TenantFigures> {
    const [row] = await this.query<{
      containers: Counted[];
      services: Array<Counted & { desired: number }>;
      running: number;
      hosts: Counted[];
      demand: { containers: number; cpus: number; memory: number };
      plan: { planId: string | null; name: string | null; quotas: PlanQuotas | null } | null;
      recent: PublicEvent[];
    }>(
      `select
         (select coalesce(json_agg(x), '[]') from (
            select status as key, count(*)::int as n from monitoring.dashboard_containers
             where tenant_id = $1 and status <> 'removed' group by 1) x) as containers,
         (select coalesce(json_agg(x), '[]') from (
            select rollout_status as key, count(*)::int as n, coalesce(sum(replicas), 0)::int as desired
              from monitoring.dashboard_services where tenant_id = $1 and status = 'active' group by 1) x) as services,
         (select count(*)::int from monitoring.dashboard_containers c
            join monitoring.dashboard_services s on s.service_id = c.service_id
           where c.tenant_id = $1 and s.tenant_id = $1 and s.status = 'active' and c.status = 'running') as running,
         (select coalesce(json_agg(x), '[]') from (
            select ${HOST_STATUS} as key, count(*)::int as n from monitoring.dashboard_hosts h
             where h.host_id in (select host_id from monitoring.dashboard_containers
                                  where tenant_id = $1 and status <> 'removed' and host_id is not null)
             group by 1) x) as hosts,
         (select json_build_object('containers', coalesce(sum(containers), 0), 'cpus', coalesce(sum(cpus), 0),
                                   'memory', coalesce(sum(memory), 0)) from (
            select count(*) as containers, sum(cpus) as cpus, sum(memory_mb) as memory
              from monitoring.dashboard_containers
             where tenant_id = $1 and service_id is null and status <> 'removed' and desired <> 'deleted'
            union all
            select sum(replicas), sum(replicas * cpus), sum(replicas * memory_mb)
              from monitoring.dashboard_services where tenant_id = $1 and status = 'active') parts) as demand,
         (select json_build_object('planId', t.plan_id, 'name', p.name, 'quotas', p.quotas)
            from monitoring.dashboard_tenants t left join monitoring.dashboard_plans p using (plan_id)
           where t.tenant_id = $1) as plan,
         (select coalesce(json_agg(event order by sequence desc), '[]') from (
            select event, sequence from monitoring.dashboard_recent_events
             where tenant_id = $1 order by sequence desc limit $2) r) as recent`,
      [tenantId, DASHBOARD_RECENT_EVENTS],
    );
    const desired = row.services.reduce((sum, service) => sum + service.desired, 0);
    return {
      containers: counts(CONTAINER_STATES, row.containers),
      services: { ...counts(ROLLOUT_STATES, row.services), replicas: { desired, running: row.running } },
      hosts: counts(HOST_STATES, row.hosts),
      demand: {
        containers: Number(row.demand.containers),
        cpus: cpus(Number(row.demand.cpus)),
        memoryMb: Number(row.demand.memory),
      },
      projectedPlan: row.plan?.planId
        ? { planId: row.plan.planId, name: row.plan.name, quotas: row.plan.quotas }
        : null,
      recentEvents: row.recent,
      lastEventSequence: row.recent[0]?.sequence ?? null,
    };
  }

  async platform(top: number): Promise<PlatformDashboardView> {
    const [tenantStates, plans, containers, services, hostRows, lastHour, lastFive, topTenants, progress] =
      await Promise.all([
        this.query<Counted>('select status as key, count(*)::int as n from monitoring.dashboard_tenants group by 1'),
        this.query<Counted>(
          `select plan_id as key, count(*)::int as n from monitoring.dashboard_tenants
            where status <> 'deleted' and plan_id is not null group by 1`,
        ),
        this.containerCounts(null),
        this.serviceCounts(null),
        this.hostList(),
        this.eventsPerContext('1 hour'),
        this.eventsPerContext('5 minutes'),
        this.query<TopTenantView>(
          `select c.tenant_id as "tenantId", t.name, count(*)::int as containers
             from monitoring.dashboard_containers c left join monitoring.dashboard_tenants t using (tenant_id)
            where c.status <> 'removed'
            group by c.tenant_id, t.name order by containers desc, c.tenant_id limit $1`,
          [top],
        ),
        this.query<{ last: string }>('select last_sequence as last from monitoring.dashboard_progress where id = 1'),
      ]);
    const tenants = counts(['active', 'suspended', 'deleted'] as const, tenantStates);
    return {
      tenants: {
        total: tenants.total,
        byStatus: { active: tenants.active, suspended: tenants.suspended, deleted: tenants.deleted },
        byPlan: Object.fromEntries(plans.map(({ key, n }) => [key, n])),
      },
      containers,
      services,
      hosts: {
        ...counts(
          HOST_STATES,
          hostRows.map((host) => ({ key: host.status, n: 1 })),
        ),
        list: hostRows,
      },
      eventsPerContext: { lastFiveMinutes: lastFive, lastHour },
      topTenantsByContainers: topTenants,
      lastEventSequence: progress[0] ? Number(progress[0].last) : null,
    };
  }

  /**
   * Containers not removed by status; every tenant's when `tenantId` is null. The tenant
   * condition is left out rather than made optional in SQL (`$1 is null or …`), which
   * would keep the planner from the tenant index.
   */
  private async containerCounts(tenantId: string | null): Promise<ContainerCountsView> {
    const rows = await this.query<Counted>(
      `select status as key, count(*)::int as n from monitoring.dashboard_containers
        where status <> 'removed' ${tenantId ? 'and tenant_id = $1' : ''} group by 1`,
      tenantId ? [tenantId] : [],
    );
    return counts(CONTAINER_STATES, rows);
  }

  private async serviceCounts(tenantId: string | null): Promise<ServiceCountsView> {
    const [byRollout, running] = await Promise.all([
      this.query<Counted & { desired: number }>(
        `select rollout_status as key, count(*)::int as n, coalesce(sum(replicas), 0)::int as desired
           from monitoring.dashboard_services
          where status = 'active' ${tenantId ? 'and tenant_id = $1' : ''} group by 1`,
        tenantId ? [tenantId] : [],
      ),
      // As scheduling's service view counts them: replicas whose container runs.
      this.query<{ n: number }>(
        `select count(*)::int as n from monitoring.dashboard_containers c
           join monitoring.dashboard_services s on s.service_id = c.service_id
          where s.status = 'active' and c.status = 'running' ${tenantId ? 'and s.tenant_id = $1 and c.tenant_id = $1' : ''}`,
        tenantId ? [tenantId] : [],
      ),
    ]);
    const desired = byRollout.reduce((sum, row) => sum + row.desired, 0);
    return { ...counts(ROLLOUT_STATES, byRollout), replicas: { desired, running: running[0]?.n ?? 0 } };
  }

  private async hostList(): Promise<DashboardHostView[]> {
    const rows = await this.query<{
      hostId: string;
      environmentId: string | null;
      status: DashboardHostView['status'];
      cpus: number;
      memoryMb: number;
      allocatedCpus: number;
      allocatedMemoryMb: number;
      containers: number;
    }>(
      `select h.host_id as "hostId", h.environment_id as "environmentId", ${HOST_STATUS} as status,
              h.cpus, h.memory_mb as "memoryMb",
              coalesce(sum(c.cpus), 0)::float8 as "allocatedCpus",
              coalesce(sum(c.memory_mb), 0)::int as "allocatedMemoryMb", count(c.container_id)::int as containers
         from monitoring.dashboard_hosts h
         left join monitoring.dashboard_containers c on c.host_id = h.host_id and c.status <> 'removed'
        group by h.host_id order by h.host_id`,
    );
    return rows.map((row) => ({
      hostId: row.hostId,
      environmentId: row.environmentId,
      status: row.status,
      capacity: { cpus: row.cpus, memoryMb: row.memoryMb },
      allocated: { cpus: cpus(row.allocatedCpus), memoryMb: row.allocatedMemoryMb },
      containers: row.containers,
    }));
  }

  private async eventsPerContext(window: '5 minutes' | '1 hour'): Promise<Record<string, number>> {
    const rows = await this.query<Counted>(
      `select context as key, sum(events)::int as n from monitoring.dashboard_event_counts
        where minute >= date_trunc('minute', now() - interval '${window}') group by 1`,
    );
    return Object.fromEntries(rows.map(({ key, n }) => [key, n]));
  }

  private query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.dataSource.query(sql, params);
  }
}
