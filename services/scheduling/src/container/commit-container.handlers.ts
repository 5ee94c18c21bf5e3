import { CommitContainerV1, type CommittedImage, SCHEDULING, conflict, notFound } from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import { contextOf } from '@caas/messaging/src/rpc/command-context';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ClusterState } from '../cluster/cluster-state';
import { HostDrivers } from '../cluster/host-drivers';
import { PlatformRegistry } from '../shared/platform-registry';
import { writerTenant } from '../shared/tenant-scope';
import { nowIso } from '../shared/time';
import { EVENT_STORE } from '../shared/tokens';
import { containerDecider } from './container.decider';
import { containerStream } from './container.events';

/**
 * `docker commit` for tenants: a container's filesystem saved on its host and pushed to
 * the platform registry as `<registry>/<tenantId>/<repository>:<tag>`, with a token the
 * images service grants the caller (writers of the tenant, its own namespace only). The
 * registry's notification then records the image as any push; the container stream
 * records ContainerCommitted once the push is done.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class CommitContainerHandlers {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cluster: ClusterState,
    private readonly drivers: HostDrivers,
    private readonly registry: PlatformRegistry,
  ) {}

  @MessagePattern(SCHEDULING.commitContainer)
  async commit(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<CommittedImage> {
    const { containerId, repository, tag, comment } = await validated(CommitContainerV1, payload);
    const tenantId = writerTenant(meta, 'commit containers');
    const state = this.cluster.container(containerId);
    if (!state || state.lifecycle !== 'scheduled' || state.tenantId !== tenantId || state.observed === 'removed') {
      throw notFound('container', containerId);
    }
    const fullName = `${tenantId}/${repository}`;
    const image = this.registry.referenceFor(fullName, tag);
    if (!image) throw conflict('This platform has no registry to commit containers to', { containerId });
    if (state.observed === 'scheduled') {
      throw conflict(`container '${containerId}' has not started yet: nothing to commit`, { containerId });
    }
    const driver = await this.drivers.get(state.hostId);
    if (!driver) throw conflict(`the host of container '${containerId}' cannot be reached now`, { containerId });

    // The token first: a caller who may not push makes nothing, not even a local image.
    const token = await this.registry.pushToken(meta, fullName);
    await driver.commitContainer(state.engineName, image.slice(0, image.lastIndexOf(':')), tag, comment ?? '');
    const digest = await driver.pushImage(image, token);
    await handleCommand(
      this.store,
      containerDecider,
      containerStream(containerId),
      { kind: 'RecordContainerCommitted', tenantId, containerId, image, digest, at: nowIso() },
      contextOf(meta, tenantId),
    );
    return { image, digest };
  }
}
