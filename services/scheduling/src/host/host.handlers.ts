import {
  CaasError,
  HostRefV1,
  type HostView,
  RegisterHostV1,
  type RegisteredHost,
  SCHEDULING,
  conflict,
} from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ClusterState } from '../cluster/cluster-state';
import { HostDrivers } from '../cluster/host-drivers';
import { type DockerTls, type HostInfo, RuntimeError } from '../runtime/docker';
import { contextOf, newId } from '../shared/command-context';
import { ReadYourWrites } from '../shared/read-your-writes';
import { nowIso } from '../shared/time';
import { EVENT_STORE } from '../shared/tokens';
import { type HostCommand, hostDecider } from './host.decider';
import { hostStream } from './host.events';
import { requirePlatformAdmin } from './host.guards';
import { HostQueries } from './host.queries';

/**
 * Hosts over NATS: the platform's, for platform admins only (`Caas-Roles`), checked
 * before anything else — before an engine is ever contacted.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class HostHandlers {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cluster: ClusterState,
    private readonly drivers: HostDrivers,
    private readonly readYourWrites: ReadYourWrites,
    private readonly queries: HostQueries,
  ) {}

  /**
   * Probes the engine (its capacity is what placement counts on), keeps a TCP engine's
   * client credentials in their private stream, then records HostRegistered.
   */
  @MessagePattern(SCHEDULING.registerHost)
  async register(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<RegisteredHost> {
    requirePlatformAdmin(meta.roles, 'register a host');
    const request = await validated(RegisterHostV1, payload);
    const hostId = newId(meta, 'host');
    const context = contextOf(meta, null);
    // A retry (same command id) whose first attempt got through: handleCommand answers it.
    if (this.cluster.host(hostId) === undefined) {
      this.requireNewEndpoint(request.endpoint);
      const tls: DockerTls | undefined = request.tls
        ? { ca: request.tls.caPem, cert: request.tls.certPem, key: request.tls.keyPem }
        : undefined;
      const info = await probe(this.drivers, request.endpoint, tls);
      // Before HostRegistered: the first driver made for the host reads them.
      if (tls) await this.drivers.saveCredentials(hostId, tls, context);
      await this.run(context, {
        kind: 'RegisterHost',
        hostId,
        roles: meta.roles,
        endpoint: request.endpoint,
        labels: request.labels ?? {},
        environmentId: request.environmentId,
        dedicatedTenantId: request.dedicatedTenantId,
        capacity: info.capacity,
        at: nowIso(),
      });
    } else {
      await this.readYourWrites.streamApplied(hostStream(hostId), this.cluster.hosts.get(hostId)?.revision);
    }
    return { hostId };
  }

  /** No new containers here; the reconciler moves its replicas. */
  @MessagePattern(SCHEDULING.drainHost)
  async drain(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<HostView> {
    requirePlatformAdmin(meta.roles, 'drain a host');
    const { hostId } = await validated(HostRefV1, payload);
    await this.run(contextOf(meta, null), { kind: 'DrainHost', hostId, roles: meta.roles, at: nowIso() });
    return this.queries.get(hostId);
  }

  /** Once drained (or down) and empty of containers. */
  @MessagePattern(SCHEDULING.removeHost)
  async remove(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<HostView> {
    requirePlatformAdmin(meta.roles, 'remove a host');
    const { hostId } = await validated(HostRefV1, payload);
    const containers = this.cluster.containersOn(hostId).length;
    await this.run(contextOf(meta, null), { kind: 'RemoveHost', hostId, roles: meta.roles, containers, at: nowIso() });
    return this.queries.get(hostId);
  }

  @MessagePattern(SCHEDULING.getHost)
  async get(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<HostView> {
    requirePlatformAdmin(meta.roles, 'look at hosts');
    const { hostId } = await validated(HostRefV1, payload);
    return this.queries.get(hostId);
  }

  @MessagePattern(SCHEDULING.listHosts)
  async list(@Meta() meta: RequestMeta): Promise<HostView[]> {
    requirePlatformAdmin(meta.roles, 'look at hosts');
    return this.queries.list();
  }

  private async run(context: ReturnType<typeof contextOf>, command: HostCommand): Promise<void> {
    const stream = hostStream(command.hostId);
    const result = await handleCommand(this.store, hostDecider, stream, command, context);
    this.cluster.apply('host', command.hostId, result.state, result.nextExpectedRevision);
    await this.readYourWrites.streamApplied(stream, result.nextExpectedRevision);
  }

  /** One engine is one host: registered twice, its capacity would be counted twice. */
  private requireNewEndpoint(endpoint: string): void {
    for (const { state } of this.cluster.hosts.values()) {
      if (state.lifecycle === 'registered' && state.endpoint === endpoint) {
        throw conflict(`The engine at ${endpoint} is already registered as host '${state.hostId}'`, {
          hostId: state.hostId,
          endpoint,
        });
      }
    }
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
