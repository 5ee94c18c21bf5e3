import { HostRefV1, type HostView, RegisterHostV1, type RegisteredHost, SCHEDULING } from '@caas/contracts';
import type { EventStore } from '@caas/event-store';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ClusterState } from '../cluster/cluster-state';
import { HostDrivers } from '../cluster/host-drivers';
import { contextOf, newId } from '@caas/messaging/src/rpc/command-context';
import { ReadYourWrites } from '@caas/read-model';
import { nowIso } from '../shared/time';
import { EVENT_STORE } from '../shared/tokens';
import type { HostCommand } from './host.decider';
import { hostStream } from './host.events';
import { type HostCommandDeps, registerEngine, runHostCommand } from './host-registration';
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
    // A retry (same command id) whose first attempt got through: handleCommand answers it.
    if (this.cluster.host(hostId) === undefined) {
      await registerEngine(this.deps(), contextOf(meta, null), {
        hostId,
        roles: meta.roles,
        endpoint: request.endpoint,
        tls: request.tls ? { ca: request.tls.caPem, cert: request.tls.certPem, key: request.tls.keyPem } : undefined,
        labels: request.labels ?? {},
        environmentId: request.environmentId,
        dedicatedTenantId: request.dedicatedTenantId,
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

  private run(context: ReturnType<typeof contextOf>, command: HostCommand): Promise<void> {
    return runHostCommand(this.deps(), context, command);
  }

  private deps(): HostCommandDeps {
    return { store: this.store, cluster: this.cluster, drivers: this.drivers, readYourWrites: this.readYourWrites };
  }
}
