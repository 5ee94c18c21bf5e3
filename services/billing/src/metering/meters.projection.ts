import type { RecordedEvent } from '@caas/event-store';
import { recordedAs } from '@caas/domain';
import type { EntityManager } from 'typeorm';
import type { MeterEvent } from './meter.events';

/**
 * What the billing clock and the HostDown fan-out read: each tenant's meter (the next
 * hour to close) and the containers it meters as running, by host. Kept by the same
 * consumer as the hourly rows, so both move together.
 */
export async function projectMeterState(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recordedAs<MeterEvent>(recorded);
  switch (event.type) {
    case 'MeteringStarted': {
      const { tenantId, containerId, hostId, at } = event.data;
      await manager.query(
        `insert into billing.meters (tenant_id, closed_through) values ($1, date_trunc('hour', $2::timestamptz))
         on conflict (tenant_id) do nothing`,
        [tenantId, at],
      );
      await manager.query(
        `insert into billing.running_containers (tenant_id, container_id, host_id) values ($1, $2, $3)
         on conflict (tenant_id, container_id) do update set host_id = excluded.host_id`,
        [tenantId, containerId, hostId],
      );
      return;
    }
    case 'MeteringEnded':
      await manager.query('delete from billing.running_containers where tenant_id = $1 and container_id = $2', [
        event.data.tenantId,
        event.data.containerId,
      ]);
      return;
    case 'HourClosed':
      await manager.query(
        `update billing.meters set closed_through = $2::timestamptz + interval '1 hour' where tenant_id = $1`,
        [event.data.tenantId, event.data.hour],
      );
      return;
  }
}

/** The tenants with a container metered as running on `hostId`. */
export async function tenantsRunningOn(manager: EntityManager, hostId: string): Promise<string[]> {
  const rows = (await manager.query(
    'select distinct tenant_id from billing.running_containers where host_id = $1 order by tenant_id',
    [hostId],
  )) as Array<{ tenant_id: string }>;
  return rows.map((row) => row.tenant_id);
}

/** Meters with an hour to close: its end plus `graceMs` (for late facts) is past `now`. */
export async function metersDue(
  manager: EntityManager,
  now: Date,
  graceMs: number,
): Promise<Array<{ tenantId: string; hour: string }>> {
  const rows = (await manager.query(
    `select tenant_id, closed_through from billing.meters
     where closed_through + interval '1 hour' + ($2::text || ' milliseconds')::interval <= $1::timestamptz
     order by tenant_id`,
    [now.toISOString(), String(graceMs)],
  )) as Array<{ tenant_id: string; closed_through: Date }>;
  return rows.map((row) => ({ tenantId: row.tenant_id, hour: row.closed_through.toISOString() }));
}
