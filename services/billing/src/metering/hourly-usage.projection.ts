import { Column, Entity, type EntityManager, PrimaryColumn } from 'typeorm';
import type { MeterEvent, UsageRow } from './meter.events';

/**
 * One tenant's use of one hour, on the plan it is billed on. numeric, read back as
 * strings: sums of milliseconds × milli-vCPUs (or bytes) pass 2⁵³ within a month.
 */
@Entity({ name: 'hourly_usage' })
export class HourlyUsageRow {
  @PrimaryColumn('text', { name: 'tenant_id' })
  tenantId!: string;

  @PrimaryColumn('timestamptz')
  hour!: Date;

  @Column('text', { name: 'plan_id' })
  planId!: string;

  @Column('numeric', { name: 'container_ms' })
  containerMs!: string;

  @Column('numeric', { name: 'milli_cpu_ms' })
  milliCpuMs!: string;

  @Column('numeric', { name: 'memory_mb_ms' })
  memoryMbMs!: string;

  @Column('numeric', { name: 'volume_byte_ms' })
  volumeByteMs!: string;

  @Column('numeric', { name: 'image_byte_ms' })
  imageByteMs!: string;
}

/** The numeric columns an hour's events add to; a new measure is one more entry here and in `amountsOf*`. */
const SUMMED_COLUMNS = ['container_ms', 'milli_cpu_ms', 'memory_mb_ms', 'volume_byte_ms', 'image_byte_ms'] as const;
type SummedColumn = (typeof SUMMED_COLUMNS)[number];
type Amounts = Record<SummedColumn, bigint>;

/** What a batch adds to one (tenant, hour) row; `planId` when the batch closed the hour (the last close wins). */
export interface HourlyUsageChange {
  readonly tenantId: string;
  readonly hour: string;
  planId: string | undefined;
  readonly amounts: Amounts;
}

/**
 * Adds up a batch's HourClosed and UsageCorrected events per (tenant, hour); nothing
 * else moves a number, so the table is `hourlyUsage` of the meter streams, and a
 * rebuild writes it again. Every closed hour gets a row, used or not. Sums commute, so
 * one row per key carries the whole batch; only the plan depends on order.
 */
export function hourlyUsageChanges(events: readonly MeterEvent[]): HourlyUsageChange[] {
  const changes = new Map<string, HourlyUsageChange>();
  const changeOf = (tenantId: string, hour: string) => {
    const key = `${tenantId}\u0000${hour}`;
    let change = changes.get(key);
    if (!change) {
      change = { tenantId, hour, planId: undefined, amounts: zero() };
      changes.set(key, change);
    }
    return change;
  };
  for (const event of events) {
    if (event.type === 'HourClosed') {
      const change = changeOf(event.data.tenantId, event.data.hour);
      change.planId = event.data.planId;
      add(change.amounts, amountsOfClose(event.data));
    }
    if (event.type === 'UsageCorrected')
      add(changeOf(event.data.tenantId, event.data.hour).amounts, amountsOf([event.data]));
  }
  return [...changes.values()];
}

function amountsOfClose(data: Extract<MeterEvent, { type: 'HourClosed' }>['data']): Amounts {
  return {
    ...amountsOf(data.usage),
    volume_byte_ms: BigInt(data.storage.volumeByteMs),
    image_byte_ms: BigInt(data.storage.imageByteMs),
  };
}

/** Container rows: milliseconds, and milliseconds times what the container reserves. */
export function amountsOf(rows: readonly UsageRow[]): Amounts {
  const amounts = zero();
  for (const row of rows) {
    const ms = BigInt(row.ms);
    amounts.container_ms += ms;
    amounts.milli_cpu_ms += ms * BigInt(row.milliCpus);
    amounts.memory_mb_ms += ms * BigInt(row.memoryMb);
  }
  return amounts;
}

function zero(): Amounts {
  return { container_ms: 0n, milli_cpu_ms: 0n, memory_mb_ms: 0n, volume_byte_ms: 0n, image_byte_ms: 0n };
}

function add(total: Amounts, amounts: Amounts): void {
  for (const column of SUMMED_COLUMNS) total[column] += amounts[column];
}

/**
 * Writes the changes in at most two multi-row upserts: the hours the batch closed set
 * their plan, the ones it only corrected keep theirs (a new row gets the column's
 * default). Keys are unique per statement, as ON CONFLICT DO UPDATE requires.
 */
export async function writeHourlyUsage(manager: EntityManager, changes: readonly HourlyUsageChange[]): Promise<void> {
  const closed = changes.filter((change) => change.planId !== undefined);
  const corrected = changes.filter((change) => change.planId === undefined);
  if (closed.length > 0) await manager.query(UPSERT_CLOSED, valuesOf(closed, true));
  if (corrected.length > 0) await manager.query(UPSERT_CORRECTED, valuesOf(corrected, false));
}

function valuesOf(changes: readonly HourlyUsageChange[], withPlan: boolean): unknown[] {
  return [
    changes.map((change) => change.tenantId),
    changes.map((change) => change.hour),
    ...(withPlan ? [changes.map((change) => change.planId)] : []),
    ...SUMMED_COLUMNS.map((column) => changes.map((change) => change.amounts[column].toString())),
  ];
}

const ADD_SUMS = SUMMED_COLUMNS.map((column) => `${column} = hourly_usage.${column} + excluded.${column}`).join(', ');
const SUM_PARAMETERS = (first: number) => SUMMED_COLUMNS.map((_, index) => `$${first + index}::numeric[]`).join(', ');

const UPSERT_CLOSED = `
  insert into billing.hourly_usage (tenant_id, hour, plan_id, ${SUMMED_COLUMNS.join(', ')})
  select * from unnest($1::text[], $2::timestamptz[], $3::text[], ${SUM_PARAMETERS(4)})
  on conflict (tenant_id, hour) do update set plan_id = excluded.plan_id, ${ADD_SUMS}`;

const UPSERT_CORRECTED = `
  insert into billing.hourly_usage (tenant_id, hour, ${SUMMED_COLUMNS.join(', ')})
  select * from unnest($1::text[], $2::timestamptz[], ${SUM_PARAMETERS(3)})
  on conflict (tenant_id, hour) do update set ${ADD_SUMS}`;
