import type { EntityManager } from 'typeorm';
import type { MeterEvent } from './meter.events';

/**
 * What the billing clock and the HostDown fan-out read: each tenant's meter (the next
 * hour to close, and when a deleted tenant's meter ends) and the containers it meters
 * as running, by host. Kept by the same consumer as the hourly rows, so both move
 * together.
 *
 * A batch is folded per key first, in event order, and written in a few multi-row
 * statements. Order matters here, unlike for the sums: a start then an end of one
 * container must end deleted, and the last closed hour wins.
 */
export interface MeterStateChanges {
  /** Per tenant, what the batch does to a meter row that already exists. */
  readonly existing: Map<string, MeterPatch>;
  /** Per tenant, the row the batch leaves when none existed (it opened the meter). */
  readonly opened: Map<string, MeterRow>;
  /** Per container (`tenantId`, `containerId`): its host while metered as running, null once ended. */
  readonly running: Map<string, { tenantId: string; containerId: string; hostId: string | null }>;
}

interface MeterPatch {
  /** The hour after the last one closed. */
  closedThrough?: string;
  endsAt?: string;
}

/** A new meter: it opens at the hour of its first fact (`openedAt`, truncated in SQL as before) unless the batch closed an hour. */
interface MeterRow extends MeterPatch {
  readonly openedAt: string;
}

const HOUR_MS = 3_600_000;

export function meterStateChanges(events: readonly MeterEvent[]): MeterStateChanges {
  const changes: MeterStateChanges = { existing: new Map(), opened: new Map(), running: new Map() };
  for (const event of events) foldMeterEvent(changes, event);
  return changes;
}

/**
 * Each event applied to both cases of the stored row, existing or not, since the
 * batch cannot know which without reading it; the writes then pick per row.
 */
function foldMeterEvent(changes: MeterStateChanges, event: MeterEvent): void {
  const { tenantId } = event.data;
  switch (event.type) {
    case 'MeteringStarted': {
      const { containerId, hostId, at } = event.data;
      open(changes, tenantId, at);
      changes.running.set(containerKey(tenantId, containerId), { tenantId, containerId, hostId });
      return;
    }
    case 'PlanRecorded':
    case 'StorageRecorded':
      open(changes, tenantId, event.data.at);
      return;
    case 'MeteringEnded': {
      const { containerId } = event.data;
      changes.running.set(containerKey(tenantId, containerId), { tenantId, containerId, hostId: null });
      return;
    }
    case 'HourClosed':
      patch(changes, tenantId, { closedThrough: new Date(Date.parse(event.data.hour) + HOUR_MS).toISOString() });
      return;
    case 'TenantDeparted':
      patch(changes, tenantId, { endsAt: event.data.at });
      return;
    case 'UsageCorrected':
      return;
  }
}

/** The first fact opens a meter that does not exist yet; an existing one is left alone. */
function open(changes: MeterStateChanges, tenantId: string, at: string): void {
  if (!changes.opened.has(tenantId)) changes.opened.set(tenantId, { openedAt: at });
}

/** An update: of an existing row always, of a new one only once the batch has opened it. */
function patch(changes: MeterStateChanges, tenantId: string, update: MeterPatch): void {
  changes.existing.set(tenantId, { ...changes.existing.get(tenantId), ...update });
  const opened = changes.opened.get(tenantId);
  if (opened) changes.opened.set(tenantId, { ...opened, ...update });
}

const containerKey = (tenantId: string, containerId: string) => `${tenantId}\u0000${containerId}`;

/**
 * Updates the existing meters first, then inserts the new ones (a conflict means the
 * row existed: already updated): the other order would update the rows just inserted.
 */
export async function writeMeterStateChanges(manager: EntityManager, changes: MeterStateChanges): Promise<void> {
  const existing = [...changes.existing.entries()];
  if (existing.length > 0) {
    await manager.query(
      `update billing.meters m set
         closed_through = coalesce(v.closed_through, m.closed_through),
         ends_at = coalesce(v.ends_at, m.ends_at)
       from unnest($1::text[], $2::timestamptz[], $3::timestamptz[]) as v(tenant_id, closed_through, ends_at)
       where m.tenant_id = v.tenant_id`,
      [existing.map(([tenantId]) => tenantId), ...columns(existing, (p) => [p.closedThrough, p.endsAt])],
    );
  }
  const opened = [...changes.opened.entries()];
  if (opened.length > 0) {
    await manager.query(
      `insert into billing.meters (tenant_id, closed_through, ends_at)
       select tenant_id, coalesce(closed_through, date_trunc('hour', opened_at)), ends_at
       from unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[])
         as v(tenant_id, opened_at, closed_through, ends_at)
       on conflict (tenant_id) do nothing`,
      [
        opened.map(([tenantId]) => tenantId),
        ...columns(opened, (row) => [row.openedAt, row.closedThrough, row.endsAt]),
      ],
    );
  }
  await writeRunningContainers(manager, [...changes.running.values()]);
}

/** Each key ends either running somewhere or gone: one upsert and one delete, in either order. */
async function writeRunningContainers(
  manager: EntityManager,
  containers: ReadonlyArray<{ tenantId: string; containerId: string; hostId: string | null }>,
): Promise<void> {
  const running = containers.filter((container) => container.hostId !== null);
  const ended = containers.filter((container) => container.hostId === null);
  if (running.length > 0) {
    await manager.query(
      `insert into billing.running_containers (tenant_id, container_id, host_id)
       select * from unnest($1::text[], $2::text[], $3::text[])
       on conflict (tenant_id, container_id) do update set host_id = excluded.host_id`,
      [running.map((c) => c.tenantId), running.map((c) => c.containerId), running.map((c) => c.hostId)],
    );
  }
  if (ended.length > 0) {
    await manager.query(
      `delete from billing.running_containers r
       using unnest($1::text[], $2::text[]) as v(tenant_id, container_id)
       where r.tenant_id = v.tenant_id and r.container_id = v.container_id`,
      [ended.map((c) => c.tenantId), ended.map((c) => c.containerId)],
    );
  }
}

/** Column arrays (unnest's parameters) from per-row tuples; a missing value is null. */
function columns<T>(
  entries: ReadonlyArray<[string, T]>,
  tuple: (value: T) => Array<string | undefined>,
): Array<Array<string | null>> {
  const tuples = entries.map(([, value]) => tuple(value));
  const width = tuples[0]?.length ?? 0;
  return Array.from({ length: width }, (_, index) => tuples.map((values) => values[index] ?? null));
}

/** The tenants with a container metered as running on `hostId`. */
export async function tenantsRunningOn(manager: EntityManager, hostId: string): Promise<string[]> {
  const rows = (await manager.query(
    'select distinct tenant_id from billing.running_containers where host_id = $1 order by tenant_id',
    [hostId],
  )) as Array<{ tenant_id: string }>;
  return rows.map((row) => row.tenant_id);
}

/**
 * Meters with an hour to close: its end plus `graceMs` (for late facts) is past `now`.
 * A deleted tenant's meter closes through the hour of its deletion, then never again.
 */
export async function metersDue(
  manager: EntityManager,
  now: Date,
  graceMs: number,
): Promise<Array<{ tenantId: string; hour: string }>> {
  const rows = (await manager.query(
    `select tenant_id, closed_through from billing.meters
     where closed_through + interval '1 hour' + ($2::text || ' milliseconds')::interval <= $1::timestamptz
       and (ends_at is null or closed_through <= ends_at)
     order by tenant_id`,
    [now.toISOString(), String(graceMs)],
  )) as Array<{ tenant_id: string; closed_through: Date }>;
  return rows.map((row) => ({ tenantId: row.tenant_id, hour: row.closed_through.toISOString() }));
}
