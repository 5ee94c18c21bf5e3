import type { MeterEvent, MeterState } from './meter.events';
import { recordContainerEnded } from './record-container-ended';
import { recordStorage } from './record-storage';

/** A tenancy fact: the tenant was deleted (TenantDeleted). */
export interface RecordTenantDeleted {
  readonly kind: 'RecordTenantDeleted';
  readonly tenantId: string;
  readonly at: string;
}

/**
 * Ends whatever still runs or is stored, then closes the meter for good: the hour of
 * the deletion is the last one billed. Deleting twice records nothing.
 */
export function recordTenantDeleted(command: RecordTenantDeleted, state: MeterState): MeterEvent[] {
  const { tenantId, at } = command;
  if (state.departedAt !== null || state.closedThrough === null) return [];
  const containers = Object.keys(state.running)
    .sort()
    .flatMap((containerId) =>
      recordContainerEnded(
        { kind: 'RecordContainerEnded', tenantId, containerId, reason: 'tenant-deleted', at },
        state,
      ),
    );
  const storage = Object.entries(state.storage)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([key, series]) =>
      recordStorage({ kind: 'RecordStorage', tenantId, storageKind: series.kind, key, bytes: 0, at }, state),
    );
  return [...containers, ...storage, { type: 'TenantDeparted', data: { tenantId, at } }];
}
