import type { ClusterState } from '../cluster/cluster-state';
import type { HostDrivers } from '../cluster/host-drivers';
import type { ContainerState } from '../container/container.events';
import { reconcileAction } from '../container/desired-state';
import { parseImageReference } from '@caas/contracts';
import {
  type DockerHostDriver,
  ImageNotFoundError,
  ImageTransferError,
  type ObservedContainer,
} from '../runtime/docker';
import { LABELS, type RuntimeContainerSpec } from '../runtime/runtime-spec';
import type { PlatformRegistry } from '../shared/platform-registry';
import { observedFact } from './observed-fact';
import type { SystemCommands } from './system-commands';

/** What the service controller reads from the last host rounds. */
export interface Observations {
  /** The engine's view of each container the last time its host was listed. */
  readonly containers: Map<string, ObservedContainer>;
  /** Containers their engine refused to create (e.g. the image does not exist), with why. */
  readonly createFailures: Map<string, string>;
}

export interface HostRoundDeps {
  readonly cluster: ClusterState;
  readonly drivers: HostDrivers;
  readonly commands: SystemCommands;
  readonly observations: Observations;
  readonly onError: (error: unknown) => void;
  /** Pull tokens for images in the platform registry. */
  readonly registry: PlatformRegistry;
  /** Containers a launch is creating right now (`launchPlaced`): a round leaves them to it. */
  readonly launching: { has(containerId: string): boolean };
}

/**
 * One level-triggered pass over one host: list the platform's containers on its engine,
 * set them against the containers placed there, record what the engine did that the
 * streams do not say yet, then take one step per container (create, start, stop,
 * remove). Containers are handled in parallel: a slow graceful stop holds up only its own.
 */
export async function reconcileHost(deps: HostRoundDeps, hostId: string): Promise<void> {
  const driver = await deps.drivers.get(hostId);
  if (!driver) return;
  // Only what was created for this host id: an engine registered again under a new id
  // (or shared by several test runs) keeps the others' containers out of this round.
  const listed = await driver.list({ labels: { [LABELS.managed]: 'true', [LABELS.host]: hostId } });
  const onEngine = new Map<string, ObservedContainer>();
  for (const container of listed) {
    const id = container.labels[LABELS.container];
    if (id) onEngine.set(id, container);
  }
  const ids = new Set([...onEngine.keys(), ...deps.cluster.containersOn(hostId).map((state) => state.containerId)]);
  await Promise.all(
    [...ids].map((id) =>
      reconcileContainer(deps, driver, hostId, id, onEngine.get(id)).catch((error: unknown) => deps.onError(error)),
    ),
  );
}

/**
 * Placed a moment ago, nothing observed yet, to run: what `launchPlaced` may create
 * without listing its host first.
 */
export function isFreshPlacement(state: ContainerState): boolean {
  return (
    state.lifecycle === 'scheduled' &&
    state.spec !== null &&
    state.desired === 'running' &&
    state.observed === 'scheduled' &&
    state.observedAt === null
  );
}

/** Creates and starts a fresh placement on its host, as a pass would, without listing the host first. */
export async function launchPlaced(deps: HostRoundDeps, state: ContainerState): Promise<void> {
  const driver = await deps.drivers.get(state.hostId);
  if (driver) await create(deps, driver, state);
}

async function reconcileContainer(
  deps: HostRoundDeps,
  driver: DockerHostDriver,
  hostId: string,
  containerId: string,
  engine: ObservedContainer | undefined,
): Promise<void> {
  if (deps.launching.has(containerId)) return;
  const placedHere = (state: ContainerState | undefined): state is ContainerState =>
    state !== undefined && state.lifecycle === 'scheduled' && state.hostId === hostId;
  let state = deps.cluster.container(containerId);
  if (placedHere(state)) {
    if (engine) deps.observations.containers.set(containerId, engine);
    else deps.observations.containers.delete(containerId);
    const fact = observedFact(state, engine, deps.commands.now());
    if (fact) state = await deps.commands.container(state.tenantId, fact);
  }
  const action = reconcileAction(state, hostId, engine?.state ?? 'missing');
  const mine = placedHere(state) ? state : undefined;
  switch (action) {
    case 'nothing':
      return;
    case 'create':
      if (mine) await create(deps, driver, mine);
      return;
    case 'start':
      if (!engine) return;
      // Its network may have gone since it was created (the engine would refuse to start it).
      if (mine?.spec) await driver.ensureNetwork(mine.spec.network, mine.tenantId);
      await driver.start(engine.engineId);
      if (mine) await record(deps, mine, 'RecordContainerStarted');
      return;
    case 'stop':
      if (!engine) return;
      await driver.stop(engine.engineId, mine?.stopTimeoutSeconds ?? 10);
      if (mine) await record(deps, mine, 'RecordContainerStopped');
      return;
    case 'remove':
      if (engine) await driver.remove(engine.engineId, true);
      deps.observations.containers.delete(containerId);
      if (mine && mine.desired === 'deleted') await record(deps, mine, 'RecordContainerRemoved');
      return;
  }
}

/** The tenant's network and volumes first: a container cannot be created without them. */
async function create(deps: HostRoundDeps, driver: DockerHostDriver, state: ContainerState): Promise<void> {
  const { spec } = state;
  if (!spec) throw new Error(`container ${state.containerId} has no recorded runtime spec`);
  try {
    await driver.ensureNetwork(spec.network, state.tenantId);
    for (const volume of spec.volumes) await driver.ensureVolume(volume.volumeName, state.tenantId);
    const engineId = await createWithImage(deps, driver, state.tenantId, spec);
    await driver.start(engineId);
  } catch (error) {
    if (error instanceof ImageNotFoundError || error instanceof ImageTransferError) {
      deps.observations.createFailures.set(state.containerId, error.message);
    }
    throw error;
  }
  deps.observations.createFailures.delete(state.containerId);
  await record(deps, state, 'RecordContainerStarted');
}

/**
 * Images of the platform registry are pulled when the host lacks them (as Kubernetes'
 * IfNotPresent), and before every create when tagged `latest` or not at all (Always),
 * with a token for that one repository, as the container's tenant. Other images must
 * already be on the host.
 */
async function createWithImage(
  deps: HostRoundDeps,
  driver: DockerHostDriver,
  tenantId: string,
  spec: RuntimeContainerSpec,
): Promise<string> {
  if (!deps.registry.repositoryOf(spec.image)) return driver.createContainer(spec);
  const pull = async () => {
    const token = await deps.registry.pullToken(tenantId, spec.image).catch((error: unknown) => {
      throw new ImageTransferError(spec.image, error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    });
    await driver.pullImage(spec.image, token);
  };
  const { tag, digest } = parseImageReference(spec.image);
  if (!digest && (tag === undefined || tag === 'latest')) await pull();
  try {
    return await driver.createContainer(spec);
  } catch (error) {
    if (!(error instanceof ImageNotFoundError)) throw error;
    await pull();
    return driver.createContainer(spec);
  }
}

function record(
  deps: HostRoundDeps,
  state: ContainerState,
  kind: 'RecordContainerStarted' | 'RecordContainerStopped' | 'RecordContainerRemoved',
): Promise<ContainerState> {
  return deps.commands.container(state.tenantId, {
    kind,
    tenantId: state.tenantId,
    containerId: state.containerId,
    at: deps.commands.now(),
  });
}
