import type { ContainerState } from './container.events';

/** A container's state on its engine (Docker's `State.Status`), or `missing` when the engine has none by its name. */
export type EngineContainerState =
  'missing' | 'created' | 'running' | 'restarting' | 'paused' | 'removing' | 'exited' | 'dead';

/**
 * What the reconciler does next: one step, level-triggered. It then records what the
 * engine did (RecordContainerStarted/Stopped/Died/Removed) and asks again next round.
 * `create` means create and start it; `remove` means remove it (force) and, for a
 * container with desired state, record ContainerRemoved — also when the engine no
 * longer has it, which the driver's idempotent remove allows.
 */
export type ReconcileAction = 'create' | 'start' | 'stop' | 'remove' | 'nothing';

const RUNNING: ReadonlySet<EngineContainerState> = new Set(['running', 'restarting', 'paused']);

/**
 * The step for one container on `hostId`, from its desired state (`state`; undefined or
 * never scheduled for a container found on the engine with no desired state behind it)
 * and what the engine shows. Running containers are always stopped gracefully before
 * they are removed.
 */
export function reconcileAction(
  state: ContainerState | undefined,
  hostId: string,
  engine: EngineContainerState,
): ReconcileAction {
  if (!state || state.lifecycle === 'none' || state.hostId !== hostId || state.observed === 'removed') {
    // An orphan, a copy on a host it is not placed on, or a removed container back on a returning host.
    return unwanted(engine);
  }
  switch (state.desired) {
    case 'deleted':
      return engine === 'missing' ? 'remove' : unwanted(engine);
    case 'stopped':
      return RUNNING.has(engine) ? 'stop' : 'nothing';
    case 'running':
      return toRun(state, engine);
  }
}

function unwanted(engine: EngineContainerState): ReconcileAction {
  if (RUNNING.has(engine)) return 'stop';
  return engine === 'missing' || engine === 'removing' ? 'nothing' : 'remove';
}

function toRun(state: ContainerState, engine: EngineContainerState): ReconcileAction {
  switch (engine) {
    case 'missing':
      return 'create'; // never created, or lost by its engine
    case 'created':
      return 'start';
    case 'exited':
      // A death is the restart policy's business (the engine applies it); only a start asked for starts it.
      return state.startPending ? 'start' : 'nothing';
    case 'running':
    case 'restarting':
    case 'paused':
      return state.restartPending ? 'stop' : 'nothing';
    case 'dead':
      return 'remove'; // cannot be started; created again next round
    case 'removing':
      return 'nothing';
  }
}
