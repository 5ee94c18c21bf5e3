import { PUBLIC_CONTAINER_EVENTS } from '../container/container.events';
import type { HostEvent } from '../host/host.events';
import { PUBLIC_SERVICE_EVENTS } from '../service/service.events';

/**
 * The categories the JetStream relay reads. Never `hostcredentials` (TLS keys: root on
 * an engine); the private events of these categories are left out by type below.
 */
export const RELAYED_CATEGORIES = ['host', 'container', 'service', 'placement', 'volume'] as const;

const PUBLIC_HOST_EVENTS = [
  'HostRegistered',
  'HostDown',
  'HostUp',
  'HostDrained',
  'HostRemoved',
] as const satisfies readonly HostEvent['type'][];

/**
 * Every public SchedulingEvent type, and nothing else: not ContainerSpecRecorded (the
 * tenant's environment variables), not the reconciler's private replica facts.
 */
export const RELAYED_EVENT_TYPES: readonly string[] = [
  ...PUBLIC_CONTAINER_EVENTS,
  ...PUBLIC_SERVICE_EVENTS,
  ...PUBLIC_HOST_EVENTS,
  'PlacementFailed',
  'VolumeMeasured',
];
