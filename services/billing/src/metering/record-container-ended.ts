import { type EndReason, type MeterEvent, type MeterState, slicesOf } from './meter.events';

/** A lifecycle fact: the container stopped, died or was removed (or its host went down). */
export interface RecordContainerEnded {
  readonly kind: 'RecordContainerEnded';
  readonly tenantId: string;
  readonly containerId: string;
  readonly reason: EndReason;
  readonly at: string;
}

/**
 * Closes the container's open interval. Nothing runs (a redelivered end, or the end of
 * a run already ended by its host going down), or an end older than the run's start (a
 * redelivery from an earlier run): nothing recorded. An end inside hours already closed
 * takes back what those hours counted after it.
 */
export function recordContainerEnded(command: RecordContainerEnded, state: MeterState): MeterEvent[] {
  const { tenantId, containerId, reason, at } = command;
  const interval = state.running[containerId];
  if (!interval) return endedEarlier(command, state);
  if (Date.parse(at) < Date.parse(interval.from)) return [];
  const ended: MeterEvent = { type: 'MeteringEnded', data: { tenantId, containerId, at, reason } };
  const { closedThrough } = state;
  if (!closedThrough || Date.parse(at) >= Date.parse(closedThrough)) return [ended];
  return [
    ended,
    ...slicesOf(interval, at, closedThrough, -1).map(({ hour, row }): MeterEvent => ({
      type: 'UsageCorrected',
      data: { tenantId, hour, reason: `late ${reason}`, ...row },
    })),
  ];
}

/** What ended a run for the platform's reasons, not the container's: its own earlier end still counts. */
const ENDED_FROM_OUTSIDE: readonly EndReason[] = ['host-down', 'tenant-deleted'];

/**
 * The container's own end, after a host failure or the tenant's deletion had already
 * ended its run later (their facts come through other consumers, or first): the run
 * ends at its own time, and closed hours give back what they counted after it.
 */
function endedEarlier(command: RecordContainerEnded, state: MeterState): MeterEvent[] {
  const { tenantId, containerId, reason, at } = command;
  const last = state.lastRun[containerId];
  if (!last || !ENDED_FROM_OUTSIDE.includes(last.reason)) return [];
  if (Date.parse(at) < Date.parse(last.from) || Date.parse(at) >= Date.parse(last.to!)) return [];
  const corrected: MeterEvent = {
    type: 'MeteringEndCorrected',
    data: { tenantId, containerId, previousEnd: last.to!, at, reason },
  };
  const { closedThrough } = state;
  if (!closedThrough || Date.parse(at) >= Date.parse(closedThrough)) return [corrected];
  const until = Date.parse(last.to!) < Date.parse(closedThrough) ? last.to! : closedThrough;
  return [
    corrected,
    ...slicesOf(last, at, until, -1).map(({ hour, row }): MeterEvent => ({
      type: 'UsageCorrected',
      data: { tenantId, hour, reason: `late ${reason}`, ...row },
    })),
  ];
}
