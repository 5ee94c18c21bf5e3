import { streamName } from '@caas/event-store';
import { hourSlices } from './hour-slices';

/**
 * A tenant's meter (stream `meter-<tenantId>`): which containers run, with what, since
 * when, and — once an hour is closed — exactly what each used in it. The hourly rows
 * are sums of HourClosed and UsageCorrected events alone, so a rebuild from the stream
 * gives the same numbers whatever order or delay the lifecycle events came with.
 */
export const meterStream = (tenantId: string) => streamName('meter', tenantId);

/** What a container reserves: milli-vCPUs (integers, so usage sums stay exact) and MB. */
export interface Reservation {
  readonly milliCpus: number;
  readonly memoryMb: number;
}

/** One container's use of one hour: milliseconds running with its reservation (negative in a correction). */
export interface UsageRow extends Reservation {
  readonly containerId: string;
  readonly ms: number;
}

export type EndReason = 'stopped' | 'died' | 'removed' | 'host-down';

export type MeterEvent =
  | {
      readonly type: 'MeteringStarted';
      readonly data: {
        readonly tenantId: string;
        readonly containerId: string;
        readonly hostId: string;
        readonly at: string;
      } & Reservation;
    }
  | {
      readonly type: 'MeteringEnded';
      readonly data: {
        readonly tenantId: string;
        readonly containerId: string;
        readonly at: string;
        readonly reason: EndReason;
      };
    }
  | {
      readonly type: 'HourClosed';
      readonly data: { readonly tenantId: string; readonly hour: string; readonly usage: readonly UsageRow[] };
    }
  | {
      readonly type: 'UsageCorrected';
      readonly data: { readonly tenantId: string; readonly hour: string; readonly reason: string } & UsageRow;
    };

export interface Interval extends Reservation {
  readonly containerId: string;
  readonly hostId: string;
  readonly from: string;
  /** null while running. */
  readonly to: string | null;
}

export interface MeterState {
  readonly tenantId: string;
  /** Open intervals by container. */
  readonly running: Readonly<Record<string, Interval>>;
  /** Ended intervals that reach past `closedThrough`: the next hour closes account for them. */
  readonly ended: readonly Interval[];
  /** The last end time recorded per container: an older start or end is a redelivery. */
  readonly lastEnd: Readonly<Record<string, string>>;
  /** Every hour before this one is closed; null before the first fact. */
  readonly closedThrough: string | null;
}

export const initialMeterState = (): MeterState => ({
  tenantId: '',
  running: {},
  ended: [],
  lastEnd: {},
  closedThrough: null,
});

const HOUR_MS = 3_600_000;

export function evolveMeter(state: MeterState, event: MeterEvent): MeterState {
  switch (event.type) {
    case 'MeteringStarted': {
      const { tenantId, containerId, hostId, milliCpus, memoryMb, at } = event.data;
      const interval = { containerId, hostId, milliCpus, memoryMb, from: at, to: null };
      // The first fact opens the meter at its hour: hours before it have nothing to close.
      const closedThrough = state.closedThrough ?? hourStart(at);
      return { ...state, tenantId, closedThrough, running: { ...state.running, [containerId]: interval } };
    }
    case 'MeteringEnded': {
      const { containerId, at } = event.data;
      const { [containerId]: interval, ...running } = state.running;
      const ended = interval ? [...state.ended, { ...interval, to: at }] : state.ended;
      return { ...state, running, ended, lastEnd: { ...state.lastEnd, [containerId]: at } };
    }
    case 'HourClosed': {
      const closedThrough = new Date(Date.parse(event.data.hour) + HOUR_MS).toISOString();
      const ended = state.ended.filter((interval) => Date.parse(interval.to!) > Date.parse(closedThrough));
      return { ...state, closedThrough, ended };
    }
    case 'UsageCorrected':
      return state;
  }
}

export function hourStart(at: string): string {
  const time = Date.parse(at);
  return new Date(time - (((time % HOUR_MS) + HOUR_MS) % HOUR_MS)).toISOString();
}

/** The rows of `interval` in [from, to), one per hour, with `sign` (+1 or -1) on the milliseconds. */
export function slicesOf(interval: Reservation & { containerId: string }, from: string, to: string, sign: 1 | -1) {
  return hourSlices(from, to).map(({ hour, ms }) => ({
    hour,
    row: {
      containerId: interval.containerId,
      milliCpus: interval.milliCpus,
      memoryMb: interval.memoryMb,
      ms: sign * ms,
    },
  }));
}
