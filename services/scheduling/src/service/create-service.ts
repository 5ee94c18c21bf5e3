import {
  CONTAINER_DEFAULTS,
  CONTAINER_LIMITS,
  conflict,
  type CreateServiceV1,
  invalid,
  type RolloutLimits,
} from '@caas/contracts';
import { requireWriter } from './service-access';
import type { ServiceCommandBase } from './service-command';
import { resourcesOf, type ServiceEvent, type ServiceState } from './service.events';
import { strategyOf, templateOf } from './template';

export interface CreateService extends ServiceCommandBase {
  readonly kind: 'CreateService';
  readonly spec: CreateServiceV1;
}

/** Re-checked here (the contract class checks them too): the decider must never record an impossible service. */
export function requireReplicas(replicas: number): void {
  const { min, max } = CONTAINER_LIMITS.replicas;
  if (!Number.isInteger(replicas) || replicas < min || replicas > max) {
    throw invalid('replicas', 'range', `replicas must be an integer from ${min} to ${max}`);
  }
}

export function requireRolloutLimits(update: RolloutLimits): void {
  const { max } = CONTAINER_LIMITS.replicas;
  for (const field of ['maxUnavailable', 'maxSurge'] as const) {
    const value = update[field];
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw invalid(`update.${field}`, 'range', `update.${field} must be an integer from 0 to ${max}`);
    }
  }
  if (update.maxUnavailable === 0 && update.maxSurge === 0) {
    throw invalid(
      'update.maxSurge',
      'rolloutProgress',
      'maxSurge and maxUnavailable cannot both be 0: the rollout could never replace a replica',
    );
  }
}

export function createService(command: CreateService, state: ServiceState): ServiceEvent[] {
  const { caller, serviceId, spec, at } = command;
  requireWriter(caller, 'create services');
  if (state.status !== 'none') throw conflict(`service '${serviceId}' already exists`, { serviceId });
  requireReplicas(spec.replicas);
  const update = spec.update
    ? { maxUnavailable: spec.update.maxUnavailable, maxSurge: spec.update.maxSurge }
    : { ...CONTAINER_DEFAULTS.update };
  requireRolloutLimits(update);
  const template = templateOf(spec);
  return [
    {
      type: 'ServiceCreated',
      data: {
        tenantId: caller.tenantId,
        environmentId: spec.environmentId,
        serviceId,
        at,
        name: spec.name,
        image: template.image,
        replicas: spec.replicas,
        resources: resourcesOf(template, CONTAINER_DEFAULTS.pidsLimit),
        strategy: strategyOf(template),
        revision: 1,
        template,
        update,
      },
    },
  ];
}
