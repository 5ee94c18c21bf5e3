import { type MeterEvent, type MeterState, slicesOf } from './meter.events';

/** A lifecycle fact: the container started (ContainerStarted), with what it reserves. */
export interface RecordContainerStarted {
  readonly kind: 'RecordContainerStarted';
  readonly tenantId: string;
  readonly containerId: string;
  readonly hostId: string;
  readonly cpus: number;
  readonly memoryMb: number;
  readonly at: string;
}

/**
 * Opens an interval. A container already running, or a start older than its last
 * recorded end (a redelivery of a run that is over), records nothing. A start inside
 * hours already closed (it came late) adds what it used there as corrections.
 */
export function recordContainerStarted(command: RecordContainerStarted, state: MeterState): MeterEvent[] {
  const { tenantId, containerId, hostId, cpus, memoryMb, at } = command;
  if (state.running[containerId]) return [];
  const lastEnd = state.lastRun[containerId]?.to;
  if (lastEnd && Date.parse(at) <= Date.parse(lastEnd)) return [];
  const reservation = { containerId, milliCpus: Math.round(cpus * 1_000), memoryMb };
  const started: MeterEvent = { type: 'MeteringStarted', data: { tenantId, hostId, at, ...reservation } };
  const { closedThrough } = state;
  if (!closedThrough || Date.parse(at) >= Date.parse(closedThrough)) return [started];
  return [
    started,
    ...slicesOf(reservation, at, closedThrough, 1).map(({ hour, row }): MeterEvent => ({
      type: 'UsageCorrected',
      data: { tenantId, hour, reason: 'late start', ...row },
    })),
  ];
}
