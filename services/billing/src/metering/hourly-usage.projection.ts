import type { RecordedEvent } from '@caas/event-store';
import { recordedAs } from '@caas/domain';
import { Column, Entity, type EntityManager, PrimaryColumn } from 'typeorm';
import type { MeterEvent, UsageRow } from './meter.events';

/**
 * One tenant's use of one hour. numeric, read back as strings: sums of milliseconds ×
 * milli-vCPUs pass 2⁵³ within a month.
 */
@Entity({ name: 'hourly_usage' })
export class HourlyUsageRow {
  @PrimaryColumn('text', { name: 'tenant_id' })
  tenantId!: string;

  @PrimaryColumn('timestamptz')
  hour!: Date;

  @Column('numeric', { name: 'container_ms' })
  containerMs!: string;

  @Column('numeric', { name: 'milli_cpu_ms' })
  milliCpuMs!: string;

  @Column('numeric', { name: 'memory_mb_ms' })
  memoryMbMs!: string;
}

/**
 * Adds HourClosed rows and corrections to their hour; nothing else moves a number, so
 * the table is `hourlyUsage` of the meter streams, and a rebuild writes it again.
 * Each event is applied once: the consumer's checkpoint commits with it.
 */
export async function projectMeterEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recordedAs<MeterEvent>(recorded);
  switch (event.type) {
    case 'HourClosed':
      if (event.data.usage.length > 0) await add(manager, event.data.tenantId, event.data.hour, event.data.usage);
      return;
    case 'UsageCorrected':
      await add(manager, event.data.tenantId, event.data.hour, [event.data]);
      return;
  }
}

async function add(manager: EntityManager, tenantId: string, hour: string, rows: readonly UsageRow[]): Promise<void> {
  let containerMs = 0n;
  let milliCpuMs = 0n;
  let memoryMbMs = 0n;
  for (const row of rows) {
    const ms = BigInt(row.ms);
    containerMs += ms;
    milliCpuMs += ms * BigInt(row.milliCpus);
    memoryMbMs += ms * BigInt(row.memoryMb);
  }
  await manager.query(
    `insert into billing.hourly_usage (tenant_id, hour, container_ms, milli_cpu_ms, memory_mb_ms)
     values ($1, $2, $3, $4, $5)
     on conflict (tenant_id, hour) do update set
       container_ms = hourly_usage.container_ms + excluded.container_ms,
       milli_cpu_ms = hourly_usage.milli_cpu_ms + excluded.milli_cpu_ms,
       memory_mb_ms = hourly_usage.memory_mb_ms + excluded.memory_mb_ms`,
    [tenantId, hour, containerMs.toString(), milliCpuMs.toString(), memoryMbMs.toString()],
  );
}
