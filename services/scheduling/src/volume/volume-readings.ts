import { parseTenantVolumeName } from '../policy/names';
import type { VolumeUsage } from '../runtime/docker';
import type { RecordVolumeSize } from './record-volume-size';
import { type VolumeState, volumeId } from './volume.events';

export interface VolumeReading {
  readonly volumeId: string;
  readonly command: RecordVolumeSize;
}

/**
 * What one host's `docker system df` answer means for its tenant volumes: a size for
 * each tenant-named volume whose size is not the one last recorded, and 0 for each one
 * recorded above 0 that the engine no longer has. Volumes that are no tenant's are not
 * billed. A size the engine could not compute is left out, and does not count as gone.
 *
 * `recorded` is what the store says about this host (VolumeLedger.onHost). Leaving out
 * the unchanged sizes spares a stream read per volume per round; the decider still
 * decides on each command it gets, so a stale `recorded` costs a read, never a wrong event.
 */
export function volumeReadings(
  hostId: string,
  usage: readonly VolumeUsage[],
  recorded: ReadonlyMap<string, VolumeState>,
  at: string,
): VolumeReading[] {
  const readings: VolumeReading[] = [];
  const present = new Set<string>();
  for (const volume of usage) {
    const owner = parseTenantVolumeName(volume.name);
    if (!owner) continue;
    const id = volumeId(hostId, volume.name);
    present.add(id);
    if (volume.sizeBytes === null) continue;
    const last = recorded.get(id);
    if (last ? last.sizeBytes === volume.sizeBytes : volume.sizeBytes === 0) continue;
    readings.push({
      volumeId: id,
      command: { kind: 'RecordVolumeSize', hostId, ...owner, sizeBytes: volume.sizeBytes, at },
    });
  }
  for (const [id, last] of recorded) {
    if (present.has(id) || last.sizeBytes === 0) continue;
    const { tenantId, volumeName } = last;
    readings.push({
      volumeId: id,
      command: { kind: 'RecordVolumeSize', tenantId, hostId, volumeName, sizeBytes: 0, at },
    });
  }
  return readings;
}
