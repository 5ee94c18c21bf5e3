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
  if (!interval || Date.parse(at) < Date.parse(interval.from)) return [];
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
