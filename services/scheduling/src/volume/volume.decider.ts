import type { Decider } from '@caas/domain';
import { type RecordVolumeSize, recordVolumeSize } from './record-volume-size';
import { type VolumeEvent, type VolumeState, evolveVolume, initialVolumeState } from './volume.events';

/** One command so far; a union when volumes get more (the switch of the other deciders). */
export type VolumeCommand = RecordVolumeSize;

export const volumeDecider: Decider<VolumeCommand, VolumeEvent, VolumeState> = {
  initialState: initialVolumeState,
  evolve: evolveVolume,
  decide: (command, state) => recordVolumeSize(command, state),
};
