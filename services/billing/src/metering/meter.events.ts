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

export type EndReason = 'stopped' | 'died' | 'removed' | 'host-down' | 'tenant-deleted';

/** What a stored byte is: a volume on a host, or an image manifest in the registry. */
export type StorageKind = 'volume' | 'image';

/** Byte-milliseconds of storage used in an hour, by kind (decimal strings: they pass 2⁵³). */
export interface StorageUsage {
  readonly volumeByteMs: string;
  readonly imageByteMs: string;
}

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
      /**
       * A container ended earlier than a host failure or the tenant's deletion had ended
       * it: its own stop came after them (another consumer, or late). Hours still open
       * count to `at`; closed ones get UsageCorrected.
       */
      readonly type: 'MeteringEndCorrected';
      readonly data: {
        readonly tenantId: string;
        readonly containerId: string;
        readonly previousEnd: string;
        readonly at: string;
        readonly reason: EndReason;
      };
    }
  | {
      /** The tenant's plan from `at` on (TenantCreated, TenantPlanChanged); a late one from the next open hour. */
      readonly type: 'PlanRecorded';
      readonly data: { readonly tenantId: string; readonly planId: string; readonly at: string };
    }
  | {
      /**
       * What one stored thing (`key`: a volume on a host, an image digest in a repository)
       * holds from `at` on; 0 when it is gone. A late one counts from the next open hour.
       */
      readonly type: 'StorageRecorded';
      readonly data: {
        readonly tenantId: string;
        readonly kind: StorageKind;
        readonly key: string;
        readonly bytes: number;
        readonly at: string;
      };
    }
  | {
      /** The tenant is gone: its meter closes the hour this happened in, and nothing after. */
      readonly type: 'TenantDeparted';
      readonly data: { readonly tenantId: string; readonly at: string };
    }
  | {
      readonly type: 'HourClosed';
      readonly data: {
        readonly tenantId: string;
        readonly hour: string;
        /** The plan in force at the hour's end: the hour is billed on it. */
        readonly planId: string;
        readonly usage: readonly UsageRow[];
        readonly storage: StorageUsage;
      };
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

/** One stored thing's size over time: the size at each change, oldest first. */
export interface StorageSeries {
  readonly kind: StorageKind;
  readonly points: ReadonlyArray<{ readonly at: string; readonly bytes: number }>;
}

/** A plan taking effect. */
export interface PlanChange {
  readonly planId: string;
  readonly from: string;
}

export interface MeterState {
  readonly tenantId: string;
  /** Plan changes from the last one in force at `closedThrough` on. */
  readonly plans: readonly PlanChange[];
  /** Stored things, each from its size at `closedThrough` on; gone ones dropped once closed. */
  readonly storage: Readonly<Record<string, StorageSeries>>;
  /** When the tenant was deleted; null while it exists. */
  readonly departedAt: string | null;
  /** Open intervals by container. */
  readonly running: Readonly<Record<string, Interval>>;
  /** Ended intervals that reach past `closedThrough`: the next hour closes account for them. */
  readonly ended: readonly Interval[];
  /** The last run recorded per container, ended: an older start or end is a redelivery. */
  readonly lastRun: Readonly<Record<string, Interval & { readonly reason: EndReason }>>;
  /** Every hour before this one is closed; null before the first fact. */
  readonly closedThrough: string | null;
}

export const initialMeterState = (): MeterState => ({
  tenantId: '',
  plans: [],
  storage: {},
  departedAt: null,
  running: {},
  ended: [],
  lastRun: {},
  closedThrough: null,
});

const HOUR_MS = 3_600_000;

export function evolveMeter(state: MeterState, event: MeterEvent): MeterState {
  switch (event.type) {
    case 'MeteringStarted': {
      const { tenantId, containerId, hostId, milliCpus, memoryMb, at } = event.data;
      const interval = { containerId, hostId, milliCpus, memoryMb, from: at, to: null };
      return { ...opened(state, tenantId, at), running: { ...state.running, [containerId]: interval } };
    }
    case 'PlanRecorded': {
      const { tenantId, planId, at } = event.data;
      return { ...opened(state, tenantId, at), plans: [...state.plans, { planId, from: at }] };
    }
    case 'StorageRecorded': {
      const { tenantId, kind, key, bytes, at } = event.data;
      const points = [...(state.storage[key]?.points ?? []), { at, bytes }];
      return { ...opened(state, tenantId, at), storage: { ...state.storage, [key]: { kind, points } } };
    }
    case 'TenantDeparted':
      return { ...state, departedAt: event.data.at };
    case 'MeteringEnded': {
      const { containerId, at } = event.data;
      const { [containerId]: interval, ...running } = state.running;
      const ended = interval ? [...state.ended, { ...interval, to: at }] : state.ended;
      const lastRun = interval
        ? { ...state.lastRun, [containerId]: { ...interval, to: at, reason: event.data.reason } }
        : state.lastRun;
      return { ...state, running, ended, lastRun };
    }
    case 'MeteringEndCorrected': {
      const { containerId, previousEnd, at, reason } = event.data;
      const earlier = (interval: Interval) =>
        interval.containerId === containerId && interval.to === previousEnd ? { ...interval, to: at } : interval;
      const last = state.lastRun[containerId]!;
      return {
        ...state,
        ended: state.ended
          .map(earlier)
          .filter(
            (interval) => state.closedThrough === null || Date.parse(interval.to!) > Date.parse(state.closedThrough),
          ),
        lastRun: { ...state.lastRun, [containerId]: { ...last, to: at, reason } },
      };
    }
    case 'HourClosed': {
      const closedThrough = new Date(Date.parse(event.data.hour) + HOUR_MS).toISOString();
      const ended = state.ended.filter((interval) => Date.parse(interval.to!) > Date.parse(closedThrough));
      return {
        ...state,
        closedThrough,
        ended,
        plans: fromLastBefore(state.plans, closedThrough, (change) => change.from),
        storage: storageFrom(state.storage, closedThrough),
      };
    }
    case 'UsageCorrected':
      return state;
  }
}

/** The first fact opens the meter at its hour: hours before it have nothing to close. */
function opened(state: MeterState, tenantId: string, at: string): MeterState {
  return { ...state, tenantId, closedThrough: state.closedThrough ?? hourStart(at) };
}

/** The changes from the last one in force at `time` on: the earlier ones no longer matter. */
function fromLastBefore<T>(changes: readonly T[], time: string, whenOf: (change: T) => string): T[] {
  let first = 0;
  changes.forEach((change, index) => {
    if (Date.parse(whenOf(change)) <= Date.parse(time)) first = index;
  });
  return changes.slice(first);
}

/** Each stored thing from its size at `time` on; a thing that is 0 from then on is dropped. */
function storageFrom(storage: MeterState['storage'], time: string): MeterState['storage'] {
  const kept: Record<string, StorageSeries> = {};
  for (const [key, series] of Object.entries(storage)) {
    const points = fromLastBefore(series.points, time, (point) => point.at);
    if (points.length === 1 && points[0]!.bytes === 0 && Date.parse(points[0]!.at) <= Date.parse(time)) continue;
    kept[key] = { ...series, points };
  }
  return kept;
}

/** An hour is billed on the plan in force at its end: the last change before it. */
export function planOfHour(plans: readonly PlanChange[], hourEnd: number): string | undefined {
  let planId: string | undefined;
  for (const change of plans) if (Date.parse(change.from) < hourEnd) planId = change.planId;
  return planId;
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
