import type { MeterEvent, UsageRow } from './meter.events';

/** A tenant's use of one hour: container-, milli-vCPU- and MB-milliseconds (bigint: a month of them passes 2⁵³). */
export interface HourlyUsage {
  readonly hour: string;
  readonly containerMs: bigint;
  readonly milliCpuMs: bigint;
  readonly memoryMbMs: bigint;
}

/**
 * The hourly rows a meter's events add up to: HourClosed rows plus corrections, nothing
 * else. What the projection stores, and what a rebuild must give again.
 */
export function hourlyUsage(events: readonly MeterEvent[]): HourlyUsage[] {
  const hours = new Map<string, { containerMs: bigint; milliCpuMs: bigint; memoryMbMs: bigint }>();
  const add = (hour: string, row: UsageRow) => {
    const total = hours.get(hour) ?? { containerMs: 0n, milliCpuMs: 0n, memoryMbMs: 0n };
    const ms = BigInt(row.ms);
    hours.set(hour, {
      containerMs: total.containerMs + ms,
      milliCpuMs: total.milliCpuMs + ms * BigInt(row.milliCpus),
      memoryMbMs: total.memoryMbMs + ms * BigInt(row.memoryMb),
    });
  };
  for (const event of events) {
    if (event.type === 'HourClosed') for (const row of event.data.usage) add(event.data.hour, row);
    if (event.type === 'UsageCorrected') add(event.data.hour, event.data);
  }
  return [...hours.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([hour, total]) => ({ hour, ...total }));
}
