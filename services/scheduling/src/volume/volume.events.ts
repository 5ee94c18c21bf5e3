import type { SchedulingEvent } from '@caas/contracts';
import { deterministicUuid } from '@caas/domain';
import { streamName } from '@caas/event-store';

/**
 * A volume's id: the same for a host and engine volume name wherever it is computed, so
 * every sampler instance (and a restarted one) records into the same stream.
 */
export const volumeId = (hostId: string, engineVolumeName: string): string =>
  deterministicUuid(`volume:${hostId}:${engineVolumeName}`);

/** `volume-<uuid v5 of host id and engine volume name>`: one tenant volume on one host. */
export const volumeStream = (id: string) => streamName('volume', id);

/** A volume's stream: its measured sizes, each one different from the one before. */
export type VolumeEvent = Extract<SchedulingEvent, { type: 'VolumeMeasured' }>;

export interface VolumeState {
  /** False until the first VolumeMeasured. */
  readonly measured: boolean;
  readonly tenantId: string;
  readonly hostId: string;
  readonly volumeName: string;
  /** The last size recorded. */
  readonly sizeBytes: number;
  /** When the last recorded size was measured; null before the first. */
  readonly measuredAt: string | null;
}

export const initialVolumeState = (): VolumeState => ({
  measured: false,
  tenantId: '',
  hostId: '',
  volumeName: '',
  sizeBytes: 0,
  measuredAt: null,
});

export function evolveVolume(state: VolumeState, event: VolumeEvent): VolumeState {
  const { tenantId, hostId, volumeName, sizeBytes, measuredAt } = event.data;
  return { ...state, measured: true, tenantId, hostId, volumeName, sizeBytes, measuredAt };
}
