import {
  CaasError,
  ContainerRefV1,
  type ContainerView,
  CreateContainerV1,
  type CreatedContainer,
  ListContainersV1,
  SCHEDULING,
  StopContainerV1,
  demandOf,
} from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ClusterState } from '../cluster/cluster-state';
import { ContainerScheduler, type ScheduleOutcome } from '../cluster/container-scheduler';
import { QuotaGuard } from '../quota/quota-guard';
import { contextOf, newId } from '@caas/messaging/src/rpc/command-context';
import { ReadYourWrites } from '@caas/read-model';
import { PlatformRegistry } from '../shared/platform-registry';
import { TenancyClient } from '../shared/tenancy-client';
import { readerTenant } from '@caas/messaging/src/rpc/tenant-scope';
import { writerTenant } from '../shared/tenant-scope';
import { nowIso } from '../shared/time';
import { EVENT_STORE } from '../shared/tokens';
import { containerStream } from './container.events';
import { ContainerQueries } from './container.queries';
import { type TenantContainerCommand, standaloneContainerDecider } from './standalone-container.decider';

/**
 * Standalone containers over NATS. The tenant is the credential's (`Caas-Tenant-Id`);
 * owners, admins and developers change containers, viewers read; another tenant's
 * container is not_found. Commands answer once the read model shows their result.
 * Logs are ContainerLogsHandlers'.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class ContainerHandlers {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cluster: ClusterState,
    private readonly scheduler: ContainerScheduler,
    private readonly quotas: QuotaGuard,
    private readonly tenancy: TenancyClient,
    private readonly registry: PlatformRegistry,
    private readonly readYourWrites: ReadYourWrites,
    private readonly queries: ContainerQueries,
  ) {}

  /**
   * Environment check, then — alone with every other placement of this instance — the
   * quota check and the placement, so two creates never both take the last room.
   */
  @MessagePattern(SCHEDULING.createContainer)
  async create(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<CreatedContainer> {
    const spec = await validated(CreateContainerV1, payload);
    const tenantId = writerTenant(meta, 'create containers');
    const containerId = newId(meta, 'container');
    if (!this.recorded(containerId)) {
      // Both of tenancy at once (two NATS round trips in the time of one); a missing
      // environment still wins over any failure to read the plan, as when they ran in turn.
      const [environment, quotas, image] = await Promise.allSettled([
        this.tenancy.requireEnvironment(meta, spec.environmentId),
        this.quotas.plan(meta),
        this.registry.requireDeployable(tenantId, spec.image),
      ]);
      if (environment.status === 'rejected') throw environment.reason;
      if (image.status === 'rejected') throw image.reason;
      if (quotas.status === 'rejected') throw quotas.reason;
      const plan = quotas.value;
      const outcome = await this.scheduler.exclusive(async (): Promise<ScheduleOutcome | undefined> => {
        // A retry (same command id) whose first attempt got through counts already: answer it.
        if (this.recorded(containerId)) return undefined;
        await this.quotas.check(meta, tenantId, plan, demandOf(1, spec.resources));
        return this.scheduler.scheduleExclusively({
          tenantId,
          environmentId: spec.environmentId,
          containerId,
          template: spec,
          context: contextOf(meta, tenantId),
          at: nowIso(),
        });
      });
      if (outcome && !outcome.placed) {
        const { reason } = outcome.failure;
        throw new CaasError('conflict', `No host can take the container (${outcome.constraint}): ${reason}`, {
          details: { constraint: outcome.constraint, reason },
        });
      }
    }
    await this.readYourWrites.streamApplied(
      containerStream(containerId),
      this.cluster.containers.get(containerId)?.revision,
    );
    return { containerId };
  }

  @MessagePattern(SCHEDULING.startContainer)
  async start(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ContainerView> {
    const { containerId } = await validated(ContainerRefV1, payload);
    const tenantId = writerTenant(meta, 'start containers');
    await this.run(meta, { kind: 'StartContainer', tenantId, containerId, at: nowIso() });
    return this.queries.get(tenantId, containerId);
  }

  @MessagePattern(SCHEDULING.stopContainer)
  async stop(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ContainerView> {
    const { containerId, timeoutSeconds } = await validated(StopContainerV1, payload);
    const tenantId = writerTenant(meta, 'stop containers');
    await this.run(meta, { kind: 'StopContainer', tenantId, containerId, timeoutSeconds, at: nowIso() });
    return this.queries.get(tenantId, containerId);
  }

  @MessagePattern(SCHEDULING.restartContainer)
  async restart(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ContainerView> {
    const { containerId } = await validated(ContainerRefV1, payload);
    const tenantId = writerTenant(meta, 'restart containers');
    await this.run(meta, { kind: 'RestartContainer', tenantId, containerId, at: nowIso() });
    return this.queries.get(tenantId, containerId);
  }

  /**
   * Answers the id, not the view: the reconciler may remove the container from its host
   * (and the view with it) before this answer is written.
   */
  @MessagePattern(SCHEDULING.removeContainer)
  async remove(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<{ containerId: string }> {
    const { containerId } = await validated(ContainerRefV1, payload);
    const tenantId = writerTenant(meta, 'remove containers');
    await this.run(meta, { kind: 'DeleteContainer', tenantId, containerId, at: nowIso() });
    return { containerId };
  }

  @MessagePattern(SCHEDULING.getContainer)
  async get(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ContainerView> {
    const { containerId } = await validated(ContainerRefV1, payload);
    return this.queries.get(readerTenant(meta), containerId);
  }

  @MessagePattern(SCHEDULING.listContainers)
  async list(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ContainerView[]> {
    const filter = await validated(ListContainersV1, payload);
    return this.queries.list(readerTenant(meta), filter);
  }

  /** Decides on the stream, tells the cluster state at once, answers once the read model has it. */
  private async run(meta: RequestMeta, command: TenantContainerCommand): Promise<void> {
    const stream = containerStream(command.containerId);
    const result = await handleCommand(
      this.store,
      standaloneContainerDecider,
      stream,
      command,
      contextOf(meta, command.tenantId),
    );
    this.cluster.apply('container', command.containerId, result.state, result.nextExpectedRevision);
    await this.readYourWrites.streamApplied(stream, result.nextExpectedRevision);
  }

  private recorded(containerId: string): boolean {
    return this.cluster.container(containerId)?.lifecycle === 'scheduled';
  }
}
