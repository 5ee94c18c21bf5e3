import type { ContainerState } from '../container/container.events';
import type { HostState } from '../host/host.events';
import type { ObservedContainer } from '../runtime/docker';
import type { Replica } from '../service/service.events';

/** What to report about one replica of a service, from its container and its engine. */
export type ReplicaVerdict =
  | { readonly kind: 'none' }
  | { readonly kind: 'healthy' }
  | { readonly kind: 'unhealthy'; readonly reason: string }
  /** Gone or going: its container was deleted or never recorded. */
  | { readonly kind: 'stopped' }
  /** It must go and be replaced elsewhere: its host is down or drained, or it crashed. */
  | { readonly kind: 'replace'; readonly reason: 'host-down' | 'host-drained' | 'replaced' };

export interface ReplicaFacts {
  readonly replica: Replica;
  readonly container: ContainerState | undefined;
  readonly host: HostState | undefined;
  readonly engine: ObservedContainer | undefined;
  /** Why its engine refused to create it, if it did. */
  readonly createFailure: string | undefined;
}

/**
 * A replica is healthy once its container runs and, when it has a health check, the
 * engine says healthy; it failed when the check says unhealthy, when it exits before
 * it was ever healthy, or when it cannot be created. A healthy replica that crashes is
 * replaced (Swarm does the same: a task that dies is a new task), as is one whose host
 * went down or is drained. Pure: the service controller acts on the verdict.
 */
export function replicaVerdict(facts: ReplicaFacts): ReplicaVerdict {
  const { replica, container, host, engine, createFailure } = facts;
  if (!container || container.lifecycle === 'none') return { kind: 'stopped' };
  if (container.desired === 'deleted' || container.observed === 'removed') return { kind: 'stopped' };
  if (!host || host.lifecycle !== 'registered' || host.health === 'down')
    return { kind: 'replace', reason: 'host-down' };
  if (host.drained) return { kind: 'replace', reason: 'host-drained' };
  if (replica.health === 'failed') return { kind: 'none' }; // the planner retires it
  const exited = container.observed === 'exited';
  if (replica.health === 'starting') {
    if (createFailure) return { kind: 'unhealthy', reason: `could not be created: ${createFailure}` };
    if (exited)
      return { kind: 'unhealthy', reason: `exited with code ${container.exitCode ?? 'unknown'} before it was healthy` };
    if (engine?.health === 'unhealthy') return { kind: 'unhealthy', reason: 'its health check failed' };
    if (container.observed !== 'running') return { kind: 'none' };
    const checked = container.spec?.healthCheck !== undefined;
    return !checked || engine?.health === 'healthy' ? { kind: 'healthy' } : { kind: 'none' };
  }
  if (exited) return { kind: 'replace', reason: 'replaced' };
  if (engine?.health === 'unhealthy') return { kind: 'unhealthy', reason: 'its health check failed' };
  return { kind: 'none' };
}
