import { notFound } from '@caas/contracts';
import { millisOf } from '../shared/time';
import type { ContainerState } from './container.events';

/** Every container command names the container and carries the caller's tenant. */
export interface ContainerCommandBase {
  readonly tenantId: string;
  readonly containerId: string;
  /** When it was asked for, or — for observed facts — the engine's time of the fact (ISO 8601). */
  readonly at: string;
}

/**
 * A container that does not exist, or is another tenant's, is `not_found`: never
 * `forbidden`, which would confirm that it exists.
 */
export function requireContainer(state: ContainerState, command: ContainerCommandBase): void {
  if (state.lifecycle === 'none' || state.tenantId !== command.tenantId)
    throw notFound('container', command.containerId);
}

/** Desired-state changes: a container being deleted, or removed, is gone for its tenant. */
export function requireLive(state: ContainerState, command: ContainerCommandBase): void {
  requireContainer(state, command);
  if (state.desired === 'deleted' || state.observed === 'removed') throw notFound('container', command.containerId);
}

/**
 * An observed fact the state already reflects: the container is removed (final), or
 * the fact is older than the last one recorded (an engine event redelivered after a
 * later one, e.g. a `die` after the restart that followed it).
 */
export function isStale(state: ContainerState, at: string): boolean {
  if (state.observed === 'removed') return true;
  return state.observedAt !== null && millisOf(at) < millisOf(state.observedAt);
}

/** The fields every container event carries. */
export const containerFact = (state: ContainerState, at: string) => ({
  tenantId: state.tenantId,
  environmentId: state.environmentId,
  containerId: state.containerId,
  serviceId: state.serviceId,
  replica: state.replica,
  hostId: state.hostId,
  resources: state.resources,
  at,
});
