import { conflict } from '@caas/contracts';
import { type Interval, type MeterEvent, type MeterState, type UsageRow, hourStart, planOfHour } from './meter.events';
import { storageUsageIn } from './storage-usage';

/** The billing clock: the hour (its start) is over, grace for late facts included. */
export interface CloseHour {
  readonly kind: 'CloseHour';
  readonly tenantId: string;
  readonly hour: string;
}

const HOUR_MS = 3_600_000;

/** What an hour is billed on when no plan fact reached the meter (a tenant older than the event feed). */
export const UNKNOWN_PLAN = 'free';

/**
 * Records what each interval and stored thing used of the hour, and the plan it is
 * billed on, from the facts known now; hours close in order, one at a time. An hour
 * already closed records nothing (the clock retried); a meter with no fact yet, or an
 * hour after the tenant's deletion, has nothing to close.
 */
export function closeHour(command: CloseHour, state: MeterState): MeterEvent[] {
  const { tenantId, hour } = command;
  const { closedThrough } = state;
  if (!closedThrough) return [];
  const start = Date.parse(hour);
  if (start < Date.parse(closedThrough)) return [];
  if (state.departedAt !== null && start > Date.parse(hourStart(state.departedAt))) return [];
  if (start > Date.parse(closedThrough)) {
    throw conflict(`Close ${closedThrough} first: hours close in order`, { hour, next: closedThrough });
  }
  const intervals = [...Object.values(state.running), ...state.ended];
  const usage = intervals
    .map((interval) => rowOf(interval, start, start + HOUR_MS))
    .filter((row): row is UsageRow => row !== undefined)
    .sort((a, b) => a.containerId.localeCompare(b.containerId));
  const end = start + HOUR_MS;
  const planId = planOfHour(state.plans, end) ?? UNKNOWN_PLAN;
  const storage = storageUsageIn(state.storage, start, end);
  return [{ type: 'HourClosed', data: { tenantId, hour: new Date(start).toISOString(), planId, usage, storage } }];
}

function rowOf(interval: Interval, hourStart: number, hourEnd: number): UsageRow | undefined {
  const from = Math.max(Date.parse(interval.from), hourStart);
  const to = Math.min(interval.to === null ? hourEnd : Date.parse(interval.to), hourEnd);
  if (to <= from) return undefined;
  const { containerId, milliCpus, memoryMb } = interval;
  return { containerId, milliCpus, memoryMb, ms: to - from };
}
