import { CaasError, type HostCapacity, conflict } from '@caas/contracts';
import { type CommandContext, handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import type { ClusterState } from '../cluster/cluster-state';
import type { HostDrivers } from '../cluster/host-drivers';
import { type DockerTls, type HostInfo, RuntimeError } from '../runtime/docker';
import type { ReadYourWrites } from '@caas/read-model';
import { nowIso } from '../shared/time';
import { type HostCommand, hostDecider } from './host.decider';
import { hostStream } from './host.events';

/** What recording a host command needs: the HTTP-facing handlers and the start-up bootstrap share it. */
export interface HostCommandDeps {
  readonly store: EventStore;
  readonly cluster: ClusterState;
  readonly drivers: HostDrivers;
  readonly readYourWrites: ReadYourWrites;
}

/** Decides on the host's stream, tells the cluster state at once, returns once the read model has it. */
export async function runHostCommand(deps: HostCommandDeps, context: CommandContext, command: HostCommand) {
  const stream = hostStream(command.hostId);
  const result = await handleCommand(deps.store, hostDecider, stream, command, context);
  deps.cluster.apply('host', command.hostId, result.state, result.nextExpectedRevision);
  await deps.readYourWrites.streamApplied(stream, result.nextExpectedRevision);
}

export interface EngineRegistration {
  readonly hostId: string;
  /** The caller's platform roles: the decider refuses anyone but a platform admin. */
  readonly roles: readonly string[];
  readonly endpoint: string;
  readonly tls?: DockerTls;
  readonly labels: Readonly<Record<string, string>>;
  readonly environmentId: string;
  readonly dedicatedTenantId?: string;
}

/**
 * Registers a Docker engine as a host: refuses an engine already registered, probes it
 * (its capacity is what placement counts on), keeps a TCP engine's client credentials
 * in their private stream, then records HostRegistered. Returns the capacity read.
 */
export async function registerEngine(
  deps: HostCommandDeps,
  context: CommandContext,
  request: EngineRegistration,
): Promise<HostCapacity> {
  requireNewEndpoint(deps.cluster, request.endpoint);
  const info = await probe(deps.drivers, request.endpoint, request.tls);
  // Before HostRegistered: the first driver made for the host reads them.
  if (request.tls) await deps.drivers.saveCredentials(request.hostId, request.tls, context);
  await runHostCommand(deps, context, {
    kind: 'RegisterHost',
    hostId: request.hostId,
    roles: request.roles,
    endpoint: request.endpoint,
    labels: request.labels,
    environmentId: request.environmentId,
    dedicatedTenantId: request.dedicatedTenantId,
    capacity: info.capacity,
    at: nowIso(),
  });
  return info.capacity;
}

/** The host (not removed) registered for `endpoint`, if any. */
export function hostAt(cluster: ClusterState, endpoint: string): string | undefined {
  for (const { state } of cluster.hosts.values()) {
    if (state.lifecycle === 'registered' && state.endpoint === endpoint) return state.hostId;
  }
  return undefined;
}

/** One engine is one host: registered twice, its capacity would be counted twice. */
function requireNewEndpoint(cluster: ClusterState, endpoint: string): void {
  const hostId = hostAt(cluster, endpoint);
  if (hostId !== undefined) {
    throw conflict(`The engine at ${endpoint} is already registered as host '${hostId}'`, { hostId, endpoint });
  }
}

/** The engine's capacity; an engine that does not answer is a bad endpoint (validation). */
async function probe(drivers: HostDrivers, endpoint: string, tls: DockerTls | undefined): Promise<HostInfo> {
  try {
    return await drivers.connect(endpoint, tls).info();
  } catch (error) {
    if (!(error instanceof RuntimeError)) throw error;
    const message = `endpoint must be a reachable Docker engine: ${error.message}`;
    throw new CaasError('validation', message, {
      violations: [{ field: 'endpoint', rule: 'reachable', message }],
    });
  }
}
