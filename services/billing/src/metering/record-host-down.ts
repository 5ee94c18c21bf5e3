import type { MeterEvent, MeterState } from './meter.events';
import { recordContainerEnded } from './record-container-ended';

/** A lifecycle fact: a host stopped answering (HostDown). */
export interface RecordHostDown {
  readonly kind: 'RecordHostDown';
  readonly tenantId: string;
  readonly hostId: string;
  readonly at: string;
}

/**
 * The tenant's containers on that host stop being billed when it went down: the
 * scheduler replaces them elsewhere (those are billed as they start), and what the lost
 * host did meanwhile is nobody's use.
 */
export function recordHostDown(command: RecordHostDown, state: MeterState): MeterEvent[] {
  const { tenantId, hostId, at } = command;
  return Object.values(state.running)
    .filter((interval) => interval.hostId === hostId)
    .sort((a, b) => a.containerId.localeCompare(b.containerId))
    .flatMap((interval) =>
      recordContainerEnded(
        { kind: 'RecordContainerEnded', tenantId, containerId: interval.containerId, reason: 'host-down', at },
        state,
      ),
    );
}
