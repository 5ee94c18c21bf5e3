/** One hour's share of an interval: the hour (its start, ISO 8601 UTC) and the milliseconds in it. */
export interface HourSlice {
  readonly hour: string;
  readonly ms: number;
}

const HOUR_MS = 3_600_000;

/**
 * Splits [from, to) exactly at hour boundaries (UTC). Milliseconds, not seconds: the
 * engine's timestamps have them, and a second rounded in every slice would add up
 * across a month of restarts. An empty or reversed interval has no slices.
 */
export function hourSlices(from: string, to: string): HourSlice[] {
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new Error(`Not a time: ${from} … ${to}`);
  const slices: HourSlice[] = [];
  for (let hourStart = start - mod(start, HOUR_MS); hourStart < end; hourStart += HOUR_MS) {
    const ms = Math.min(end, hourStart + HOUR_MS) - Math.max(start, hourStart);
    if (ms > 0) slices.push({ hour: new Date(hourStart).toISOString(), ms });
  }
  return slices;
}

/** The hour (start, ISO 8601 UTC) that contains `at`. */
export function hourOf(at: string): string {
  const time = Date.parse(at);
  return new Date(time - mod(time, HOUR_MS)).toISOString();
}

function mod(value: number, by: number): number {
  return ((value % by) + by) % by;
}
