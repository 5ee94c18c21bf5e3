import { type FieldViolation, type PlacementStrategy, CaasError, conflict } from '@caas/contracts';
import { engineContainerName } from '../policy/names';
import { LABELS, type RuntimeContainerSpec } from '../runtime/runtime-spec';
import type { ContainerEvent, ContainerState } from './container.events';
import type { ContainerCommandBase } from './container.guards';

/** Where placement put the container, and why (recorded as PlacementDecided). */
export interface PlacementDecision {
  readonly hostId: string;
  /** For people: why this host. */
  readonly reason: string;
  readonly score: number;
  /** Hosts that passed every filter. */
  readonly candidates: number;
  readonly strategy: PlacementStrategy;
}

/**
 * Issued by the handler once the container is placed and the security policy has
 * made its runtime spec (for that host, with its ports allocated there).
 */
export interface ScheduleContainer extends ContainerCommandBase {
  readonly kind: 'ScheduleContainer';
  readonly environmentId: string;
  /** A service's replica; both absent for a standalone container. */
  readonly serviceId?: string;
  readonly replica?: number;
  readonly placement: PlacementDecision;
  readonly spec: RuntimeContainerSpec;
  /** The tenant's own labels (shown in its views, never put on the engine). */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Records the placement with what billing and monitoring need (resources, ports, image).
 * The spec must be the one made for this container on this host — the labels are how
 * the reconciler matches what runs to what is wanted, so a mismatch is refused.
 */
export function scheduleContainer(command: ScheduleContainer, state: ContainerState): ContainerEvent[] {
  if (state.lifecycle !== 'none') {
    throw conflict(`container '${command.containerId}' is already scheduled`, { containerId: command.containerId });
  }
  const violations = specViolations(command);
  if (violations.length > 0) {
    throw new CaasError('validation', violations.map((violation) => violation.message).join('; '), { violations });
  }
  const { spec, placement } = command;
  const who = {
    tenantId: command.tenantId,
    environmentId: command.environmentId,
    containerId: command.containerId,
    serviceId: command.serviceId ?? null,
    replica: command.replica ?? null,
    resources: { ...spec.resources },
    at: command.at,
  };
  return [
    {
      type: 'PlacementDecided',
      data: {
        ...who,
        strategy: placement.strategy,
        hostId: placement.hostId,
        score: placement.score,
        candidates: placement.candidates,
        reason: placement.reason,
      },
    },
    {
      type: 'ContainerScheduled',
      data: {
        ...who,
        hostId: placement.hostId,
        image: spec.image,
        ports: spec.ports.map(({ containerPort, protocol, hostPort, hostIp }) => ({
          containerPort,
          protocol,
          hostPort,
          hostIp,
        })),
        reason: placement.reason,
        engineName: spec.name,
      },
    },
    {
      type: 'ContainerSpecRecorded',
      data: { containerId: command.containerId, spec, labels: { ...command.labels }, at: command.at },
    },
  ];
}

function specViolations(command: ScheduleContainer): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const add = (field: string, rule: string, message: string) => violations.push({ field, rule, message });
  const { replica, serviceId, spec } = command;
  if (replica !== undefined && serviceId === undefined) add('replica', 'service', 'replica is for a service replica');
  if (serviceId !== undefined && replica === undefined)
    add('replica', 'required', "a service's replica needs its slot");
  if (replica !== undefined && !(Number.isInteger(replica) && replica >= 0)) {
    add('replica', 'min', 'replica must be an integer >= 0');
  }
  const name = engineContainerName(command.tenantId, command.containerId);
  if (spec.name !== name) add('spec.name', 'engineName', `spec.name must be '${name}'`);
  const expected: Record<string, string | undefined> = {
    [LABELS.managed]: 'true',
    [LABELS.tenant]: command.tenantId,
    [LABELS.container]: command.containerId,
    [LABELS.host]: command.placement.hostId,
    [LABELS.service]: serviceId,
    [LABELS.replica]: replica === undefined ? undefined : String(replica),
  };
  for (const [label, value] of Object.entries(expected)) {
    if (spec.labels[label] !== value) {
      add(
        `spec.labels.${label}`,
        'label',
        `spec label ${label} must be ${value === undefined ? 'absent' : `'${value}'`}`,
      );
    }
  }
  return violations;
}
