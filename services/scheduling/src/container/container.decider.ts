import { type Decider, assertNever } from '@caas/domain';
import { type ContainerEvent, type ContainerState, evolveContainer, initialContainerState } from './container.events';
import { type DeleteContainer, deleteContainer } from './delete-container';
import { type RecordContainerCommitted, recordContainerCommitted } from './record-container-committed';
import { type RecordContainerDied, recordContainerDied } from './record-container-died';
import { type RecordContainerRemoved, recordContainerRemoved } from './record-container-removed';
import { type RecordContainerStarted, recordContainerStarted } from './record-container-started';
import { type RecordContainerStopped, recordContainerStopped } from './record-container-stopped';
import { type RestartContainer, restartContainer } from './restart-container';
import { type ScheduleContainer, scheduleContainer } from './schedule-container';
import { type StartContainer, startContainer } from './start-container';
import { type StopContainer, stopContainer } from './stop-container';

/** Desired-state changes (tenant, service controller) and observed facts (the reconciler). */
export type ContainerCommand =
  | ScheduleContainer
  | StartContainer
  | StopContainer
  | RestartContainer
  | DeleteContainer
  | RecordContainerStarted
  | RecordContainerDied
  | RecordContainerStopped
  | RecordContainerRemoved
  | RecordContainerCommitted;

export const containerDecider: Decider<ContainerCommand, ContainerEvent, ContainerState> = {
  initialState: initialContainerState,
  evolve: evolveContainer,
  decide: (command, state) => {
    switch (command.kind) {
      case 'ScheduleContainer':
        return scheduleContainer(command, state);
      case 'StartContainer':
        return startContainer(command, state);
      case 'StopContainer':
        return stopContainer(command, state);
      case 'RestartContainer':
        return restartContainer(command, state);
      case 'DeleteContainer':
        return deleteContainer(command, state);
      case 'RecordContainerStarted':
        return recordContainerStarted(command, state);
      case 'RecordContainerDied':
        return recordContainerDied(command, state);
      case 'RecordContainerStopped':
        return recordContainerStopped(command, state);
      case 'RecordContainerRemoved':
        return recordContainerRemoved(command, state);
      case 'RecordContainerCommitted':
        return recordContainerCommitted(command, state);
      default:
        return assertNever(command);
    }
  },
};
