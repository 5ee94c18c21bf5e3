import {
  CreateServiceV1,
  type CreatedService,
  ListServicesV1,
  type PlanView,
  type ResourceDemand,
  SCHEDULING,
  ScaleServiceV1,
  ServiceRefV1,
  type ServiceView,
  UpdateServiceV1,
  conflict,
  demandOf,
} from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ClusterState } from '../cluster/cluster-state';
import { ContainerScheduler } from '../cluster/container-scheduler';
import { QuotaGuard } from '../quota/quota-guard';
import { contextOf, newId } from '@caas/messaging/src/rpc/command-context';
import { ReadYourWrites } from '@caas/read-model';
import { PlatformRegistry } from '../shared/platform-registry';
import { TenancyClient } from '../shared/tenancy-client';
import { readerTenant } from '@caas/messaging/src/rpc/tenant-scope';
import { serviceCallerOf, writerTenant } from '../shared/tenant-scope';
import { nowIso } from '../shared/time';
import { EVENT_STORE } from '../shared/tokens';
import { type ServiceCommand, serviceDecider } from './service.decider';
import { type ServiceState, serviceStream } from './service.events';
import { ServiceQueries } from './service.queries';
import { mergedTemplate } from './template';

/**
 * Services over NATS. Only the desired state is recorded here; the reconciler starts
 * and stops the replicas. Every change that can cost more (create, scale up, bigger
 * resources) passes the quota check inside `scheduler.exclusive`, the section every
 * placement and quota check of this instance runs in.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class ServiceHandlers {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cluster: ClusterState,
    private readonly scheduler: ContainerScheduler,
    private readonly quotas: QuotaGuard,
    private readonly tenancy: TenancyClient,
    private readonly registry: PlatformRegistry,
    private readonly readYourWrites: ReadYourWrites,
    private readonly queries: ServiceQueries,
  ) {}

  @MessagePattern(SCHEDULING.createService)
  async create(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<CreatedService> {
    const spec = await validated(CreateServiceV1, payload);
    const tenantId = writerTenant(meta, 'create services');
    const serviceId = newId(meta, 'service');
    // A retry (same command id) whose first attempt got through: handleCommand answers it.
    const retried = this.cluster.service(serviceId) !== undefined;
    let plan: PlanView | undefined;
    if (!retried) {
      await this.tenancy.requireEnvironment(meta, spec.environmentId);
      await this.registry.requireDeployable(tenantId, spec.image);
      plan = await this.quotas.plan(meta);
    }
    await this.run(meta, tenantId, serviceId, async (state) => {
      if (plan && !state) {
        this.requireUniqueName(tenantId, spec.environmentId, spec.name);
        await this.quotas.check(meta, tenantId, plan, demandOf(spec.replicas, spec.resources));
      }
      return { kind: 'CreateService', caller: serviceCallerOf(meta, tenantId), serviceId, spec, at: nowIso() };
    });
    return { serviceId };
  }

  /** Only the increase is checked against the quota: scaling down is always allowed. */
  @MessagePattern(SCHEDULING.scaleService)
  async scale(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ServiceView> {
    const { serviceId, replicas } = await validated(ScaleServiceV1, payload);
    const tenantId = writerTenant(meta, 'scale services');
    const plan = await this.quotas.plan(meta);
    await this.run(meta, tenantId, serviceId, async (state) => {
      if (state && state.tenantId === tenantId && replicas > state.replicas) {
        const { resources } = state.templates[state.revision]!;
        await this.quotas.check(meta, tenantId, plan, demandOf(replicas - state.replicas, resources));
      }
      return { kind: 'ScaleService', caller: serviceCallerOf(meta, tenantId), serviceId, replicas, at: nowIso() };
    });
    return this.queries.get(tenantId, serviceId);
  }

  /** A new revision: checked against the quota when its resources grow (× the desired replicas). */
  @MessagePattern(SCHEDULING.updateService)
  async update(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ServiceView> {
    const spec = await validated(UpdateServiceV1, payload);
    const tenantId = writerTenant(meta, 'update services');
    const { serviceId } = spec;
    if (spec.image) await this.registry.requireDeployable(tenantId, spec.image);
    const plan = await this.quotas.plan(meta);
    await this.run(meta, tenantId, serviceId, async (state) => {
      if (state && state.tenantId === tenantId && state.status === 'active') {
        await this.quotas.check(meta, tenantId, plan, growthOf(state, spec));
      }
      return { kind: 'UpdateService', caller: serviceCallerOf(meta, tenantId), serviceId, spec, at: nowIso() };
    });
    return this.queries.get(tenantId, serviceId);
  }

  /** Answers the id: a removed service has no view any more. */
  @MessagePattern(SCHEDULING.removeService)
  async remove(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<CreatedService> {
    const { serviceId } = await validated(ServiceRefV1, payload);
    const tenantId = writerTenant(meta, 'remove services');
    await this.run(meta, tenantId, serviceId, () => ({
      kind: 'RemoveService',
      caller: serviceCallerOf(meta, tenantId),
      serviceId,
      at: nowIso(),
    }));
    return { serviceId };
  }

  @MessagePattern(SCHEDULING.getService)
  async get(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ServiceView> {
    const { serviceId } = await validated(ServiceRefV1, payload);
    return this.queries.get(readerTenant(meta), serviceId);
  }

  @MessagePattern(SCHEDULING.listServices)
  async list(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ServiceView[]> {
    const filter = await validated(ListServicesV1, payload);
    return this.queries.list(readerTenant(meta), filter);
  }

  /**
   * Inside `exclusive`: `commandFor` sees the service as this instance knows it (and
   * runs its quota checks), the decider decides on the stream, and the cluster state
   * learns the outcome before the next check. Answers once the read model has it.
   */
  private async run(
    meta: RequestMeta,
    tenantId: string,
    serviceId: string,
    commandFor: (state: ServiceState | undefined) => Promise<ServiceCommand> | ServiceCommand,
  ): Promise<void> {
    const stream = serviceStream(serviceId);
    const result = await this.scheduler.exclusive(async () => {
      const command = await commandFor(this.cluster.service(serviceId));
      const handled = await handleCommand(this.store, serviceDecider, stream, command, contextOf(meta, tenantId));
      this.cluster.apply('service', serviceId, handled.state, handled.nextExpectedRevision);
      return handled;
    });
    await this.readYourWrites.streamApplied(stream, result.nextExpectedRevision);
  }

  /** Names are unique per environment, among the tenant's services that are not removed. */
  private requireUniqueName(tenantId: string, environmentId: string, name: string): void {
    for (const { state } of this.cluster.services.values()) {
      if (state.status === 'active' && state.tenantId === tenantId && state.environmentId === environmentId) {
        if (state.name === name) {
          throw conflict(`A service named '${name}' already exists in this environment`, {
            name,
            environmentId,
            serviceId: state.serviceId,
          });
        }
      }
    }
  }
}

/** What an update adds per desired replica: resources only (the count is scale's). */
function growthOf(state: ServiceState, spec: UpdateServiceV1): ResourceDemand {
  const latest = state.templates[state.revision]!;
  const next = mergedTemplate(latest, spec).resources;
  return {
    containers: 0,
    cpus: state.replicas * (next.cpus - latest.resources.cpus),
    memoryMb: state.replicas * (next.memoryMb - latest.resources.memoryMb),
  };
}
