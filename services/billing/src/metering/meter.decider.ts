import { type Decider, assertNever } from '@caas/domain';
import { type CloseHour, closeHour } from './close-hour';
import { type MeterEvent, type MeterState, evolveMeter, initialMeterState } from './meter.events';
import { type RecordContainerEnded, recordContainerEnded } from './record-container-ended';
import { type RecordContainerStarted, recordContainerStarted } from './record-container-started';
import { type RecordHostDown, recordHostDown } from './record-host-down';

export type MeterCommand = RecordContainerStarted | RecordContainerEnded | RecordHostDown | CloseHour;

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
      case 'CloseHour':
        return closeHour(command, state);
      default:
        return assertNever(command);
    }
  },
};
