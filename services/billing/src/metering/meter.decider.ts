import { type Decider, assertNever } from '@caas/domain';
import { type CloseHour, closeHour } from './close-hour';
import { type MeterEvent, type MeterState, evolveMeter, initialMeterState } from './meter.events';
import { type RecordContainerEnded, recordContainerEnded } from './record-container-ended';
import { type RecordContainerStarted, recordContainerStarted } from './record-container-started';
import { type RecordHostDown, recordHostDown } from './record-host-down';
import { type RecordPlan, recordPlan } from './record-plan';
import { type RecordStorage, type RecordStorageCleared, recordStorage, recordStorageCleared } from './record-storage';
import { type RecordTenantDeleted, recordTenantDeleted } from './record-tenant-deleted';

export type MeterCommand =
  | RecordContainerStarted
  | RecordContainerEnded
  | RecordHostDown
  | RecordPlan
  | RecordStorage
  | RecordStorageCleared
  | RecordTenantDeleted
  | CloseHour;

export const meterDecider: Decider<MeterCommand, MeterEvent, MeterState> = {
  initialState: initialMeterState,
  evolve: evolveMeter,
  decide: (command, state) => {
    switch (command.kind) {
      case 'RecordContainerStarted':
        return recordContainerStarted(command, state);
      case 'RecordContainerEnded':
        return recordContainerEnded(command, state);
      case 'RecordHostDown':
        return recordHostDown(command, state);
      case 'RecordPlan':
        return recordPlan(command, state);
      case 'RecordStorage':
        return recordStorage(command, state);
      case 'RecordStorageCleared':
        return recordStorageCleared(command, state);
      case 'RecordTenantDeleted':
        return recordTenantDeleted(command, state);
      case 'CloseHour':
        return closeHour(command, state);
      default:
        return assertNever(command);
    }
  },
};
