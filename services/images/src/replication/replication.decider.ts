import { type Decider, assertNever } from '@caas/domain';
import { type CreateReplication, createReplication } from './create-replication';
import { type RecordImageReplicated, recordImageReplicated } from './record-image-replicated';
import { type RecordReplicationFailed, recordReplicationFailed } from './record-replication-failed';
import { type RemoveReplication, removeReplication } from './remove-replication';
import {
  type ReplicationEvent,
  type ReplicationState,
  evolveReplication,
  initialReplicationState,
} from './replication.events';

export type ReplicationCommand =
  CreateReplication | RemoveReplication | RecordImageReplicated | RecordReplicationFailed;

export const replicationDecider: Decider<ReplicationCommand, ReplicationEvent, ReplicationState> = {
  initialState: initialReplicationState,
  evolve: evolveReplication,
  decide: (command, state) => {
    switch (command.kind) {
      case 'CreateReplication':
        return createReplication(command, state);
      case 'RemoveReplication':
        return removeReplication(command, state);
      case 'RecordImageReplicated':
        return recordImageReplicated(command, state);
      case 'RecordReplicationFailed':
        return recordReplicationFailed(command, state);
      default:
        return assertNever(command);
    }
  },
};
