import type { MeterEvent, UsageRow } from './meter.events';

/**
 * A tenant's use of one hour, on the plan it is billed on: container-, milli-vCPU- and
 * MB-milliseconds, and byte-milliseconds of volumes and images (bigint: a month of them
 * passes 2⁵³).
 */
export interface HourlyUsage {
  readonly hour: string;
  readonly planId: string;
  readonly containerMs: bigint;
  readonly milliCpuMs: bigint;
  readonly memoryMbMs: bigint;
  readonly volumeByteMs: bigint;
  readonly imageByteMs: bigint;
}

/**
 * The hourly rows a meter's events add up to: one per HourClosed, plus corrections,
 * nothing else. What the projection stores, and what a rebuild must give again.
 */
export function hourlyUsage(events: readonly MeterEvent[]): HourlyUsage[] {
  const hours = new Map<string, HourlyUsage>();
  const add = (hour: string, row: UsageRow) => {
    const total = hours.get(hour)!;
    const ms = BigInt(row.ms);
    hours.set(hour, {
      ...total,
      containerMs: total.containerMs + ms,
      milliCpuMs: total.milliCpuMs + ms * BigInt(row.milliCpus),
      memoryMbMs: total.memoryMbMs + ms * BigInt(row.memoryMb),
    });
  };
  for (const event of events) {
    if (event.type === 'HourClosed') {
      const { hour, planId, storage, usage } = event.data;
      hours.set(hour, {
        hour,
        planId,
        containerMs: 0n,
        milliCpuMs: 0n,
        memoryMbMs: 0n,
        volumeByteMs: BigInt(storage.volumeByteMs),
        imageByteMs: BigInt(storage.imageByteMs),
      });
      for (const row of usage) add(hour, row);
    }
    if (event.type === 'UsageCorrected') add(event.data.hour, event.data);
  }
  return [...hours.values()].sort((a, b) => a.hour.localeCompare(b.hour));
}
