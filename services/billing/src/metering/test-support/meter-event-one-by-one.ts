import { recordedAs } from '@caas/domain';
import type { RecordedEvent } from '@caas/event-store';
import type { EntityManager } from 'typeorm';
import { amountsOf } from '../hourly-usage.projection';
import type { MeterEvent } from '../meter.events';

/**
 * The metering projection as it was before batches: one or two statements per event.
 * Kept as the reference the batch projection must match (metering.read-model.spec.ts)
 * and the baseline bench/billing measures it against; not used by the service.
 */
export async function projectMeterEventOneByOne(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recordedAs<MeterEvent>(recorded);
  switch (event.type) {
    case 'MeteringStarted': {
      const { tenantId, containerId, hostId, at } = event.data;
      await openMeter(manager, tenantId, at);
      await manager.query(
        `insert into billing.running_containers (tenant_id, container_id, host_id) values ($1, $2, $3)
         on conflict (tenant_id, container_id) do update set host_id = excluded.host_id`,
        [tenantId, containerId, hostId],
      );
      return;
    }
    case 'PlanRecorded':
    case 'StorageRecorded':
      await openMeter(manager, event.data.tenantId, event.data.at);
      return;
    case 'MeteringEnded':
      await manager.query('delete from billing.running_containers where tenant_id = $1 and container_id = $2', [
        event.data.tenantId,
        event.data.containerId,
      ]);
      return;
    case 'TenantDeparted':
      await manager.query('update billing.meters set ends_at = $2 where tenant_id = $1', [
        event.data.tenantId,
        event.data.at,
      ]);
      return;
    case 'HourClosed':
      await closeHour(manager, event);
      return;
    case 'UsageCorrected': {
      const { tenantId, hour } = event.data;
      const amounts = amountsOf([event.data]);
      await manager.query(
        `insert into billing.hourly_usage (tenant_id, hour, container_ms, milli_cpu_ms, memory_mb_ms)
         values ($1, $2, $3, $4, $5)
         on conflict (tenant_id, hour) do update set
           container_ms = hourly_usage.container_ms + excluded.container_ms,
           milli_cpu_ms = hourly_usage.milli_cpu_ms + excluded.milli_cpu_ms,
           memory_mb_ms = hourly_usage.memory_mb_ms + excluded.memory_mb_ms`,
        [tenantId, hour, `${amounts.container_ms}`, `${amounts.milli_cpu_ms}`, `${amounts.memory_mb_ms}`],
      );
      return;
    }
  }
}

function openMeter(manager: EntityManager, tenantId: string, at: string): Promise<unknown> {
  return manager.query(
    `insert into billing.meters (tenant_id, closed_through) values ($1, date_trunc('hour', $2::timestamptz))
     on conflict (tenant_id) do nothing`,
    [tenantId, at],
  );
}

async function closeHour(manager: EntityManager, event: Extract<MeterEvent, { type: 'HourClosed' }>): Promise<void> {
  const { tenantId, hour, planId, usage, storage } = event.data;
  const amounts = amountsOf(usage);
  await manager.query(
    `insert into billing.hourly_usage
       (tenant_id, hour, plan_id, container_ms, milli_cpu_ms, memory_mb_ms, volume_byte_ms, image_byte_ms)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (tenant_id, hour) do update set
       plan_id = excluded.plan_id,
       container_ms = hourly_usage.container_ms + excluded.container_ms,
       milli_cpu_ms = hourly_usage.milli_cpu_ms + excluded.milli_cpu_ms,
       memory_mb_ms = hourly_usage.memory_mb_ms + excluded.memory_mb_ms,
       volume_byte_ms = hourly_usage.volume_byte_ms + excluded.volume_byte_ms,
       image_byte_ms = hourly_usage.image_byte_ms + excluded.image_byte_ms`,
    [
      tenantId,
      hour,
      planId,
      `${amounts.container_ms}`,
      `${amounts.milli_cpu_ms}`,
      `${amounts.memory_mb_ms}`,
      storage.volumeByteMs,
      storage.imageByteMs,
    ],
  );
  await manager.query(
    `update billing.meters set closed_through = $2::timestamptz + interval '1 hour' where tenant_id = $1`,
    [tenantId, hour],
  );
}
