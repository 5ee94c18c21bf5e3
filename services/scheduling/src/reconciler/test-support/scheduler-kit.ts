import { randomUUID } from 'node:crypto';
import type { CreateServiceV1, UpdateServiceV1 } from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import { type EventStore, PostgresEventStore } from '@caas/event-store';
import { type ScratchDatabase, createScratchDatabase } from '@caas/testing';
import { ClusterState } from '../../cluster/cluster-state';
import { ContainerScheduler } from '../../cluster/container-scheduler';
import { HostDrivers } from '../../cluster/host-drivers';
import type { PortRange } from '../../cluster/placement-table';
import { HeartbeatMonitor } from '../../host/heartbeat-monitor';
import { hostDecider } from '../../host/host.decider';
import { hostStream } from '../../host/host.events';
import { LABELS } from '../../runtime/runtime-spec';
import { rawDocker } from '../../runtime/docker/test-support/engines';
import type { ServiceCommand } from '../../service/service.decider';
import { serviceDecider } from '../../service/service.decider';
import { serviceStream } from '../../service/service.events';
import { nowIso } from '../../shared/time';
import { Reconciler } from '../reconciler';
import { systemContext } from '../system-commands';

/**
 * Host ports for one jest worker: suites in different workers run at once against the
 * same engines (which publish on the same loopback address), so each worker gets its
 * own slice of the range. The process id spreads separate jest runs on one machine
 * (a developer's and CI's never share it).
 */
export function workerPortRange(): PortRange {
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  const first = 30_000 + ((worker - 1 + (process.ppid % 9)) % 9) * 300;
  return { first, last: first + 299 };
}

export interface SchedulerCore {
  readonly cluster: ClusterState;
  readonly reconciler: Reconciler;
  readonly monitor: HeartbeatMonitor;
  stop(): Promise<void>;
}

export interface KitOptions {
  readonly ttlMs?: number;
  readonly intervalMs?: number;
}

/**
 * The scheduling core (cluster state, scheduler, reconciler, heartbeat monitor) on a
 * scratch database of its own, against real engines: what the scheduling service runs,
 * without NATS. `restart()` stops the core and starts a new one on the same store, as
 * a restarted service would.
 */
export class SchedulerKit {
  readonly tenantId = randomUUID();
  readonly environmentId = randomUUID();
  readonly hostIds: string[] = [];
  readonly errors: unknown[] = [];
  core!: SchedulerCore;

  private constructor(
    readonly store: EventStore,
    private readonly database: ScratchDatabase,
    private readonly options: KitOptions,
  ) {}

  static async start(options: KitOptions = {}): Promise<SchedulerKit> {
    const database = await createScratchDatabase('caas_sched');
    const store = await PostgresEventStore.connect({ connectionString: database.url });
    const kit = new SchedulerKit(store, database, options);
    kit.core = await kit.startCore();
    return kit;
  }

  async startCore(): Promise<SchedulerCore> {
    const onError = (error: unknown) => this.errors.push(error);
    const cluster = await ClusterState.start(this.store, onError, workerPortRange());
    const drivers = new HostDrivers(this.store, cluster);
    const scheduler = new ContainerScheduler(this.store, cluster);
    const reconciler = new Reconciler({
      store: this.store,
      cluster,
      drivers,
      scheduler,
      intervalMs: this.options.intervalMs ?? 1_000,
      placementRetryMs: 1_000,
      onError,
    });
    const monitor = new HeartbeatMonitor({
      store: this.store,
      hosts: async () => cluster.watchedHosts(),
      driverFor: (host) => drivers.connect(host.endpoint),
      ttlMs: this.options.ttlMs ?? 3_000,
      intervalMs: 500,
      onError,
    });
    reconciler.start();
    monitor.start();
    return {
      cluster,
      reconciler,
      monitor,
      stop: async () => {
        await monitor.stop();
        await reconciler.stop();
        await cluster.stop();
      },
    };
  }

  async restart(): Promise<void> {
    await this.core.stop();
    this.core = await this.startCore();
  }

  async registerHost(endpoint: string): Promise<string> {
    const hostId = randomUUID();
    const info = await new HostDrivers(this.store, this.core.cluster).connect(endpoint).info();
    await handleCommand(
      this.store,
      hostDecider,
      hostStream(hostId),
      {
        kind: 'RegisterHost',
        hostId,
        roles: ['platform-admin'],
        endpoint,
        labels: {},
        environmentId: this.environmentId,
        capacity: info.capacity,
        at: nowIso(),
      },
      systemContext(null),
    );
    this.hostIds.push(hostId);
    return hostId;
  }

  async drainHost(hostId: string): Promise<void> {
    await handleCommand(
      this.store,
      hostDecider,
      hostStream(hostId),
      { kind: 'DrainHost', hostId, roles: ['platform-admin'], at: nowIso() },
      systemContext(null),
    );
  }

  async createService(spec: Omit<CreateServiceV1, 'environmentId'>): Promise<string> {
    const serviceId = randomUUID();
    await this.service({
      kind: 'CreateService',
      caller: this.caller(),
      serviceId,
      spec: { ...spec, environmentId: this.environmentId } as CreateServiceV1,
      at: nowIso(),
    });
    return serviceId;
  }

  /** A new revision of the service, as a tenant's developer asks for it. */
  async updateService(spec: UpdateServiceV1): Promise<void> {
    await this.service({ kind: 'UpdateService', caller: this.caller(), serviceId: spec.serviceId, spec, at: nowIso() });
  }

  async service(command: ServiceCommand): Promise<void> {
    await handleCommand(this.store, serviceDecider, serviceStream(command.serviceId), command, {
      ...systemContext(this.tenantId),
      actor: { type: 'user', id: 'tenant-developer' },
    });
  }

  caller() {
    return { tenantId: this.tenantId, actor: { type: 'user' as const, id: 'tenant-developer' }, roles: ['developer'] };
  }

  /** The platform containers of this kit's hosts on `endpoint`, as the engine lists them. */
  async containersOn(endpoint: string, hostId: string) {
    return rawDocker(endpoint).listContainers({
      all: true,
      filters: { label: [`${LABELS.managed}=true`, `${LABELS.host}=${hostId}`] },
    });
  }

  async close(endpoints: readonly string[]): Promise<void> {
    await this.core.stop();
    await this.store.close();
    for (const [index, hostId] of this.hostIds.entries()) {
      const endpoint = endpoints[index];
      if (!endpoint) continue;
      const docker = rawDocker(endpoint);
      const containers = await this.containersOn(endpoint, hostId);
      await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true })));
      await docker
        .getNetwork(`caas-tenant-${this.tenantId}`)
        .remove()
        .catch(() => undefined);
    }
    await this.database.drop();
  }
}
