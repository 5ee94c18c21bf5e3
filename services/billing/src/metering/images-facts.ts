import type { ImagesEvent } from '@caas/contracts';
import type { MeterCommand } from './meter.decider';

/** The meter key of one image manifest: a digest is stored once per repository, whatever its tags. */
export const imageKey = (repositoryId: string, digest: string) => `${imageKeyPrefix(repositoryId)}${digest}`;

/** The prefix shared by every image key of a repository: what a removed repository clears. */
export const imageKeyPrefix = (repositoryId: string) => `image:${repositoryId}@`;

/**
 * The meter commands an images fact is: the bytes a pushed manifest stores, 0 once it is
 * deleted, and none left in a removed repository. The image market's repositories
 * (tenantId null) are the platform's own and bill nobody. A re-push of a digest is the
 * same size again, which the meter records nothing for.
 */
export function meterCommandsOfImages(event: ImagesEvent): MeterCommand[] {
  switch (event.type) {
    case 'ImagePushed': {
      const { tenantId, repositoryId, digest, size, pushedAt } = event.data;
      return tenantId === null ? [] : [image(tenantId, imageKey(repositoryId, digest), size, pushedAt)];
    }
    case 'ImageDeleted': {
      const { tenantId, repositoryId, digest, at } = event.data;
      return tenantId === null ? [] : [image(tenantId, imageKey(repositoryId, digest), 0, at)];
    }
    case 'RepositoryRemoved': {
      const { tenantId, repositoryId, at } = event.data;
      return tenantId === null
        ? []
        : [{ kind: 'RecordStorageCleared', tenantId, keyPrefix: imageKeyPrefix(repositoryId), at }];
    }
    default:
      return [];
  }
}

function image(tenantId: string, key: string, bytes: number, at: string): MeterCommand {
  return { kind: 'RecordStorage', tenantId, storageKind: 'image', key, bytes, at };
}
