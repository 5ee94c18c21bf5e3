import { CaasError, type PortProtocol } from '@caas/contracts';
import type { ContainerState } from '../container/container.events';
import { type HostState, hostStatus } from '../host/host.events';
import {
  type HostAllocation,
  IndexedPlacer,
  type PlacementDecision,
  type PlacementRequest,
  type ReplicaCounts,
} from '../placement';
import type { AllocatedPort } from '../policy/apply-security-policy';

/** Host ports the platform hands out (Kubernetes' NodePort range is 30000–32767). */
export const DEFAULT_PORT_RANGE = { first: 30_000, last: 32_767 } as const;

export interface PortRange {
  readonly first: number;
  readonly last: number;
}

/**
 * What placement needs, kept in step with the cluster state: every host's capacity and
 * status in an IndexedPlacer, what the containers on it reserve, and the host ports in
 * use per publish address. Ports are per address, not per host: several engines on one
 * machine (the local test hosts) publish on the same address and must never share a port.
 */
export class PlacementTable {
  readonly placer = new IndexedPlacer();
  private readonly allocations = new Map<string, HostAllocation>();
  private readonly addresses = new Map<string, string>();
  private readonly portsInUse = new Map<string, Set<string>>();

  constructor(private readonly portRange: PortRange = DEFAULT_PORT_RANGE) {}

  hostChanged(host: HostState): void {
    const status = hostStatus(host);
    if (status === 'none') return;
    if (status === 'removed') {
      if (this.addresses.delete(host.hostId)) this.placer.removeHost(host.hostId);
      return;
    }
    this.addresses.set(host.hostId, publishAddress(host.endpoint));
    this.placer.upsertHost({
      hostId: host.hostId,
      status,
      environmentId: host.environmentId,
      labels: host.labels,
      dedicatedTenantId: host.dedicatedTenantId ?? undefined,
      capacity: host.capacity,
      allocated: this.allocations.get(host.hostId) ?? { cpus: 0, memoryMb: 0, containers: 0 },
    });
  }

  /** A container reserves its resources and ports from ContainerScheduled until ContainerRemoved. */
  containerChanged(before: ContainerState | undefined, after: ContainerState): void {
    const was = before !== undefined && reserves(before);
    const is = reserves(after);
    if (!was && is) this.reserve(after, 1);
    if (was && !is) this.reserve(after, -1);
  }

  place(request: PlacementRequest, replicas?: ReplicaCounts): PlacementDecision {
    return this.placer.place(request, replicas);
  }

  /** The address a host publishes container ports on: its TCP endpoint's host, or loopback for a local socket. */
  addressOf(hostId: string): string {
    const address = this.addresses.get(hostId);
    if (!address) throw new Error(`host '${hostId}' is not known to placement`);
    return address;
  }

  /** Free host ports on `hostId`'s address, lowest first; not reserved until the container is scheduled. */
  freePorts(hostId: string, wanted: readonly { containerPort: number; protocol: PortProtocol }[]): AllocatedPort[] {
    const used = this.portsInUse.get(this.addressOf(hostId)) ?? new Set<string>();
    const taken = new Set<string>();
    return wanted.map(({ containerPort, protocol }) => {
      for (let port = this.portRange.first; port <= this.portRange.last; port++) {
        const key = portKey(protocol, port);
        if (used.has(key) || taken.has(key)) continue;
        taken.add(key);
        return { containerPort, protocol, hostPort: port };
      }
      throw new CaasError(
        'conflict',
        `no free ${protocol} host port left in ${this.portRange.first}-${this.portRange.last}`,
        {
          details: { constraint: 'ports', hostId },
        },
      );
    });
  }

  private reserve(container: ContainerState, sign: 1 | -1): void {
    const current = this.allocations.get(container.hostId) ?? { cpus: 0, memoryMb: 0, containers: 0 };
    const { cpus, memoryMb } = container.resources;
    this.allocations.set(container.hostId, {
      cpus: current.cpus + sign * cpus,
      memoryMb: current.memoryMb + sign * memoryMb,
      containers: current.containers + sign,
    });
    // A removed host's containers are released too, but the placer forgot the host.
    if (this.addresses.has(container.hostId)) {
      if (sign === 1) this.placer.allocate(container.hostId, { cpus, memoryMb });
      else this.placer.release(container.hostId, { cpus, memoryMb });
    }
    for (const port of container.ports) {
      const used = this.portsInUse.get(port.hostIp) ?? new Set<string>();
      this.portsInUse.set(port.hostIp, used);
      if (sign === 1) used.add(portKey(port.protocol, port.hostPort));
      else used.delete(portKey(port.protocol, port.hostPort));
    }
  }
}

const reserves = (container: ContainerState): boolean =>
  container.lifecycle === 'scheduled' && container.observed !== 'removed';

const portKey = (protocol: string, port: number) => `${protocol}/${port}`;

/** `tcp://docker-1.internal:2376` publishes on docker-1.internal; a unix socket is this machine. */
export function publishAddress(endpoint: string): string {
  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:]+):\d+$/.exec(endpoint);
  return tcp ? tcp[1].replace(/^\[|\]$/g, '') : '127.0.0.1';
}
