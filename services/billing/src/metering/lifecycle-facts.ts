import type { SchedulingEvent } from '@caas/contracts';
import type { MeterCommand } from './meter.decider';

/** The scheduling events billing meters (lifecycle and volume sizes); every other type is nothing to it. */
export const METERED_EVENT_TYPES = [
  'ContainerStarted',
  'ContainerStopped',
  'ContainerDied',
  'ContainerRemoved',
  'HostDown',
  'VolumeMeasured',
] as const satisfies ReadonlyArray<SchedulingEvent['type']>;

/**
 * The meter command a scheduling lifecycle event is, for a container's own tenant.
 * HostDown names no tenant (hosts are the platform's): `tenantsOn(hostId)` says whose
 * containers ran there, and each of those meters gets the command.
 */
export function meterCommandsOf(
  event: SchedulingEvent,
  tenantsOn: (hostId: string) => readonly string[],
): MeterCommand[] {
  switch (event.type) {
    case 'ContainerStarted': {
      const { tenantId, containerId, hostId, resources, at } = event.data;
      return [
        {
          kind: 'RecordContainerStarted',
          tenantId,
          containerId,
          hostId,
          cpus: resources.cpus,
          memoryMb: resources.memoryMb,
          at,
        },
      ];
    }
    case 'ContainerStopped':
      return [ended(event.data, 'stopped')];
    case 'ContainerDied':
      return [ended(event.data, 'died')];
    case 'ContainerRemoved':
      return [ended(event.data, 'removed')];
    case 'HostDown': {
      const { hostId, at } = event.data;
      return tenantsOn(hostId).map((tenantId) => ({ kind: 'RecordHostDown', tenantId, hostId, at }));
    }
    case 'VolumeMeasured': {
      // A volume is named per tenant on one host: the same name on two hosts is two volumes.
      const { tenantId, hostId, volumeName, sizeBytes, measuredAt } = event.data;
      return [
        {
          kind: 'RecordStorage',
          tenantId,
          storageKind: 'volume',
          key: `volume:${hostId}/${volumeName}`,
          bytes: sizeBytes,
          at: measuredAt,
        },
      ];
    }
    default:
      return [];
  }
}

function ended(
  data: { tenantId: string; containerId: string; at: string },
  reason: 'stopped' | 'died' | 'removed',
): MeterCommand {
  return { kind: 'RecordContainerEnded', tenantId: data.tenantId, containerId: data.containerId, reason, at: data.at };
}
