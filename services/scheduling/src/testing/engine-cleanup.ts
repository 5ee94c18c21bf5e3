import { LABELS } from '../runtime/runtime-spec';
import { rawDocker } from '../runtime/docker/test-support/engines';

/**
 * Removes what the reconciler made on an engine for a spec: the containers labelled
 * with the spec's host ids (fresh per run, so other runs' containers on the same
 * engine are never touched) and the networks and volumes of its tenants.
 */
export async function removeEngineObjects(endpoint: string, hostIds: string[], tenantIds: string[]): Promise<void> {
  const docker = rawDocker(endpoint);
  for (const hostId of hostIds) {
    const containers = await docker.listContainers({ all: true, filters: { label: [`${LABELS.host}=${hostId}`] } });
    await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })));
  }
  for (const tenantId of tenantIds) {
    const label = [`${LABELS.tenant}=${tenantId}`];
    const networks = await docker.listNetworks({ filters: { label } });
    await Promise.all(
      networks.map((n) =>
        docker
          .getNetwork(n.Id)
          .remove()
          .catch(() => undefined),
      ),
    );
    const { Volumes } = await docker.listVolumes({ filters: { label } });
    await Promise.all(
      (Volumes ?? []).map((v) =>
        docker
          .getVolume(v.Name)
          .remove()
          .catch(() => undefined),
      ),
    );
  }
}
