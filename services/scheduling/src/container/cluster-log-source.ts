import type { ClusterState } from '../cluster/cluster-state';
import type { HostDrivers } from '../cluster/host-drivers';
import type { DockerHostDriver } from '../runtime/docker';
import { DockerContainerLogSource } from './logs/docker-container-log-source';

/**
 * The log source of the running service: a container is found in the cluster state
 * (the caller's tenant's, placed, not removed yet) and read from its host's driver.
 * HostDrivers makes a driver asynchronously (a TCP host's credentials are read from the
 * store) while the log source asks for it synchronously, so locating a container also
 * resolves its host's driver and keeps it for the lookup that follows.
 */
export function clusterLogSource(cluster: ClusterState, drivers: HostDrivers): DockerContainerLogSource {
  const resolved = new Map<string, DockerHostDriver>();
  return new DockerContainerLogSource(
    async (tenantId, containerId) => {
      const container = cluster.container(containerId);
      if (!container || container.lifecycle !== 'scheduled' || container.tenantId !== tenantId) return undefined;
      if (container.observed === 'removed') return undefined;
      const driver = await drivers.get(container.hostId);
      if (driver) resolved.set(container.hostId, driver);
      else resolved.delete(container.hostId);
      return { hostId: container.hostId, engineName: container.engineName };
    },
    (hostId) => resolved.get(hostId),
  );
}
