import { conflict, invalid } from '@caas/contracts';
import { millisOf } from '../shared/time';
import type { VolumeEvent, VolumeState } from './volume.events';

/** Issued by the volume sampler for each tenant volume a host reports, and with 0 for one it no longer has. */
export interface RecordVolumeSize {
  readonly kind: 'RecordVolumeSize';
  readonly tenantId: string;
  readonly hostId: string;
  /** The tenant's own name (without `caas-<tenantId>-`). */
  readonly volumeName: string;
  readonly sizeBytes: number;
  /** When the engine answered. */
  readonly at: string;
}

/**
 * Records a size only when it changed: billing integrates sizes over time, so an
 * unchanged one adds nothing but stream length. A 0 for a volume never measured records
 * nothing (there is nothing to end), and a measurement no newer than the last recorded
 * one (another sampler instance's, delivered late) records nothing either: the
 * sizes in a stream always go forward in time.
 */
export function recordVolumeSize(command: RecordVolumeSize, state: VolumeState): VolumeEvent[] {
  const { tenantId, hostId, volumeName, sizeBytes, at } = command;
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) {
    throw invalid('sizeBytes', 'min', `sizeBytes must be a whole number of bytes >= 0, got ${sizeBytes}`);
  }
  if (Number.isNaN(millisOf(at))) throw invalid('at', 'isoDate', `at must be an ISO 8601 time, got '${at}'`);
  if (state.measured && (state.tenantId !== tenantId || state.hostId !== hostId || state.volumeName !== volumeName)) {
    // The stream id derives from host and engine name, which holds the tenant: a mismatch is a caller's bug.
    throw conflict(`this stream is volume '${state.volumeName}' of tenant ${state.tenantId} on host ${state.hostId}`, {
      tenantId,
      hostId,
      volumeName,
    });
  }
  if (state.measuredAt !== null && millisOf(at) <= millisOf(state.measuredAt)) return [];
  if (!state.measured && sizeBytes === 0) return [];
  if (state.measured && sizeBytes === state.sizeBytes) return [];
  return [{ type: 'VolumeMeasured', data: { tenantId, hostId, volumeName, sizeBytes, measuredAt: at } }];
}
