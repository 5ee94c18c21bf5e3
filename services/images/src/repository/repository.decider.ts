import { type Decider, assertNever } from '@caas/domain';
import { type CreateRepository, createRepository } from './create-repository';
import { type PublishToMarket, publishToMarket } from './publish-to-market';
import { type RecordImageDeleted, recordImageDeleted } from './record-image-deleted';
import { type RecordImageImported, recordImageImported } from './record-image-imported';
import { type RecordImagePushed, recordImagePushed } from './record-image-pushed';
import { type RemoveRepository, removeRepository } from './remove-repository';
import {
  type RepositoryEvent,
  type RepositoryState,
  evolveRepository,
  initialRepositoryState,
} from './repository.events';
import { type UpdateRepository, updateRepository } from './update-repository';

export type RepositoryCommand =
  | CreateRepository
  | UpdateRepository
  | RemoveRepository
  | RecordImagePushed
  | RecordImageDeleted
  | RecordImageImported
  | PublishToMarket;

export const repositoryDecider: Decider<RepositoryCommand, RepositoryEvent, RepositoryState> = {
  initialState: initialRepositoryState,
  evolve: evolveRepository,
  decide: (command, state) => {
    switch (command.kind) {
      case 'CreateRepository':
        return createRepository(command, state);
      case 'UpdateRepository':
        return updateRepository(command, state);
      case 'RemoveRepository':
        return removeRepository(command, state);
      case 'RecordImagePushed':
        return recordImagePushed(command, state);
      case 'RecordImageDeleted':
        return recordImageDeleted(command, state);
      case 'RecordImageImported':
        return recordImageImported(command, state);
      case 'PublishToMarket':
        return publishToMarket(command, state);
      default:
        return assertNever(command);
    }
  },
};
