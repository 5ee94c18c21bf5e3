import {
  DASHBOARD_RECENT_EVENTS,
  type PublicEvent,
  type SchedulingEvent,
  type SchedulingEventData,
  type TenancyEvent,
} from '@caas/contracts';
import { type EventDelivery, type IntegrationEvent, toPublicEvent } from '@caas/messaging';
import type { PoolClient } from 'pg';
import { CONTAINERS, HOSTS, PLANS, SERVICES, TENANTS } from './dashboard.tables';
import { type GroupValues, upsertGuarded } from './guarded-upsert';

/** How long per-context event counts are kept: the platform dashboard shows the last hour. */
const EVENT_COUNTS_KEPT = '2 hours';

type Applier = (data: never, tx: PoolClient, revision: string) => Promise<void>;
type SchedulingData<T extends SchedulingEvent['type']> = SchedulingEventData<T>;
type TenancyData<T extends TenancyEvent['type']> = Extract<TenancyEvent, { type: T }>['data'];

const containerFact = (data: SchedulingData<'ContainerStarted'> | SchedulingData<'ContainerRemoved'>) => ({
  tenant_id: data.tenantId,
  service_id: data.serviceId,
  host_id: data.hostId,
  cpus: data.resources.cpus,
  memory_mb: data.resources.memoryMb,
});

/** Sets the container's fact and, when given, its observed status and desired state. */
const container =
  (status?: string, desired?: string) => (data: SchedulingData<'ContainerStarted'>, tx: PoolClient, revision: string) =>
    upsertGuarded(tx, CONTAINERS, data.containerId, revision, {
      fact: containerFact(data),
      ...(status ? { status: { status } } : {}),
      ...(desired ? { desired: { desired } } : {}),
    });

const service =
  (set: (data: never) => GroupValues<keyof typeof SERVICES.groups>) =>
  (data: { serviceId: string; tenantId: string }, tx: PoolClient, revision: string) =>
    upsertGuarded(tx, SERVICES, data.serviceId, revision, {
      owner: { tenant_id: data.tenantId },
      ...set(data as never),
    });

const host =
  (set: (data: never) => GroupValues<keyof typeof HOSTS.groups>) =>
  (data: SchedulingData<'HostUp'>, tx: PoolClient, revision: string) =>
    upsertGuarded(tx, HOSTS, data.hostId, revision, {
      capacity: { cpus: data.capacity.cpus, memory_mb: data.capacity.memoryMb },
      ...set(data as never),
    });

const resources = (data: { resources: { cpus: number; memoryMb: number } }) => ({
  cpus: data.resources.cpus,
  memory_mb: data.resources.memoryMb,
});

/** What each public event changes in the rows; every other event only counts and shows. */
const APPLIERS: Record<string, Applier> = {
  ContainerScheduled: container('scheduled', 'running'),
  ContainerStartRequested: container(undefined, 'running'),
  ContainerRestartRequested: container(undefined, 'running'),
  ContainerStopRequested: container(undefined, 'stopped'),
  ContainerDeleteRequested: container(undefined, 'deleted'),
  ContainerStarted: container('running'),
  ContainerStopped: container('stopped'),
  ContainerDied: container('exited'),
  // Gone from its host: nothing is wanted of it any more either (as scheduling's read model).
  ContainerRemoved: container('removed', 'deleted'),

  ServiceCreated: service((data: SchedulingData<'ServiceCreated'>) => ({
    name: { name: data.name },
    replicas: { replicas: data.replicas },
    resources: resources(data),
    rollout: { rollout_status: 'idle' },
    status: { status: 'active' },
  })),
  ServiceScaled: service((data: SchedulingData<'ServiceScaled'>) => ({
    replicas: { replicas: data.replicas },
    resources: resources(data),
  })),
  ServiceUpdated: service((data: SchedulingData<'ServiceUpdated'>) => ({
    resources: resources(data),
    rollout: { rollout_status: 'rolling' },
  })),
  RolloutCompleted: service(() => ({ rollout: { rollout_status: 'idle' } })),
  RolloutRolledBack: service(() => ({ rollout: { rollout_status: 'rolled-back' } })),
  ServiceRemoved: service(() => ({ rollout: { rollout_status: 'idle' }, status: { status: 'removed' } })),

  HostRegistered: host((data: SchedulingData<'HostRegistered'>) => ({
    registration: { environment_id: data.environmentId },
    status: { status: 'up' },
  })),
  HostDown: host(() => ({ status: { status: 'down' } })),
  HostUp: host(() => ({ status: { status: 'up' } })),
  HostDrained: host(() => ({ drained: { drained: true } })),
  HostRemoved: host(() => ({ status: { status: 'removed' } })),

  TenantCreated: (data: TenancyData<'TenantCreated'>, tx, revision) =>
    upsertGuarded(tx, TENANTS, data.tenantId, revision, {
      name: { name: data.name },
      plan: { plan_id: data.planId },
      status: { status: 'active' },
    }),
  TenantRenamed: (data: TenancyData<'TenantRenamed'>, tx, revision) =>
    upsertGuarded(tx, TENANTS, data.tenantId, revision, { name: { name: data.name } }),
  TenantPlanChanged: (data: TenancyData<'TenantPlanChanged'>, tx, revision) =>
    upsertGuarded(tx, TENANTS, data.tenantId, revision, { plan: { plan_id: data.planId } }),
  TenantSuspended: tenantStatus('suspended'),
  TenantResumed: tenantStatus('active'),
  TenantDeleted: tenantStatus('deleted'),
  PlanDefined: (data: TenancyData<'PlanDefined'>, tx, revision) =>
    upsertGuarded(tx, PLANS, data.planId, revision, {
      definition: { name: data.name, quotas: JSON.stringify(data.quotas) },
    }),
};

/** The fields each family of events must carry to set a row: a malformed event only counts and shows. */
function wellFormed(type: string, data: Record<string, unknown>): boolean {
  const text = (field: string) => typeof data[field] === 'string' && data[field] !== '';
  const object = (field: string) => typeof data[field] === 'object' && data[field] !== null;
  if (type.startsWith('Container')) return text('containerId') && text('tenantId') && object('resources');
  if (type.startsWith('Service') || type.startsWith('Rollout')) return text('serviceId') && text('tenantId');
  if (type.startsWith('Host')) return text('hostId') && object('capacity');
  if (type === 'PlanDefined') return text('planId') && object('quotas');
  return text('tenantId');
}

function tenantStatus(status: string): Applier {
  return (data: { tenantId: string }, tx, revision) =>
    upsertGuarded(tx, TENANTS, data.tenantId, revision, { status: { status } });
}

/** Stream revisions are decimal bigints; anything else cannot be compared and sets no row. */
const REVISION = /^\d{1,18}$/;

/**
 * The JetStreamConsumer handler of `monitoring-dashboard`: one public event into the
 * rows, the tenant's recent events, the per-context counts and the progress, in the
 * consumer's transaction (so together with "this event was processed").
 */
export async function projectDashboardEvent(
  event: IntegrationEvent,
  tx: PoolClient,
  delivery: EventDelivery,
): Promise<void> {
  const publicEvent = toPublicEvent(event, delivery);
  const apply = APPLIERS[event.type];
  const data = event.data as Record<string, unknown> | null;
  if (apply && REVISION.test(event.revision) && typeof data === 'object' && data && wellFormed(event.type, data)) {
    await apply(data as never, tx, event.revision);
  }
  await recordEvent(tx, publicEvent, delivery.sequence);
  // Now and then, not per event: the counts of the last hour are all the dashboard shows.
  if (delivery.sequence % 500 === 0) {
    await tx.query(
      `delete from monitoring.dashboard_event_counts where minute < now() - interval '${EVENT_COUNTS_KEPT}'`,
    );
  }
}

/**
 * One statement (a round trip is most of an event's cost): the tenant's recent events
 * (its newest by stream sequence: a late older one is dropped again at once), the count
 * per context and minute of `created`, and the progress. The delete cannot see the
 * insert beside it (one snapshot), so the new sequence is added to the ranking by hand.
 */
async function recordEvent(tx: PoolClient, event: PublicEvent, sequence: number): Promise<void> {
  const at = Number.isNaN(Date.parse(event.created)) ? new Date() : new Date(event.created);
  await tx.query(
    `with recent as (
       insert into monitoring.dashboard_recent_events (tenant_id, sequence, event)
       select $1, $2, $3 where $1::text is not null
       on conflict do nothing),
     counted as (
       insert into monitoring.dashboard_event_counts (context, minute, events)
       values ($4, date_trunc('minute', $5::timestamptz), 1)
       on conflict (minute, context) do update set events = dashboard_event_counts.events + 1),
     progress as (
       insert into monitoring.dashboard_progress (id, last_sequence) values (1, $2)
       on conflict (id) do update set last_sequence = greatest(dashboard_progress.last_sequence, excluded.last_sequence))
     delete from monitoring.dashboard_recent_events
      where $1::text is not null and tenant_id = $1
        and sequence < (select min(sequence) from (
              select sequence from monitoring.dashboard_recent_events where tenant_id = $1
              union select $2::bigint
              order by sequence desc limit $6) newest)`,
    [event.tenantId, sequence, JSON.stringify(event), event.context, at.toISOString(), DASHBOARD_RECENT_EVENTS],
  );
}
