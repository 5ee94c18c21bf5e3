import { spec } from '@caas/domain/src/decider-spec';
import type { RepositoryCaller } from './repository.guards';
import { repositoryDecider } from './repository.decider';
import type { RepositoryEvent } from './repository.events';

const repositories = spec(repositoryDecider);
const tenantId = '3f0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';
const otherTenantId = '9a0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';
const repository = `${tenantId}/web`;
const repositoryId = 'b0000000-0000-4000-8000-000000000001';
const fact = { repositoryId, tenantId, repository };
const as = (role: RepositoryCaller['role'], tenant = tenantId): RepositoryCaller => ({ tenantId: tenant, role });
const at = '2026-11-22T06:00:00.000Z';

const createdByPush: RepositoryEvent = {
  type: 'RepositoryCreated',
  data: {
    ...fact,
    visibility: 'private',
    description: '',
    usageGuide: '',
    origin: 'push',
    at: '2026-11-22T05:00:00.000Z',
  },
};
const pushed = (tag: string, digest: string, pushedAt = '2026-11-22T05:00:00.000Z', size = 1_000): RepositoryEvent => ({
  type: 'ImagePushed',
  data: {
    ...fact,
    tag,
    digest,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    size,
    pushedAt,
    pushedBy: 'user:u1',
  },
});
const push = (tag: string, digest: string, pushedAt = '2026-11-22T05:00:00.000Z', size = 1_000) =>
  ({
    kind: 'RecordImagePushed',
    ...fact,
    tag,
    digest,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    size,
    pushedAt,
    pushedBy: 'user:u1',
  }) as const;

describe('repository decider', () => {
  describe('RecordImagePushed (the registry’s notification)', () => {
    it('a first push creates the repository, private', () => {
      repositories
        .given([])
        .when(push('1', 'sha256:a'))
        .then([createdByPush, pushed('1', 'sha256:a')]);
    });

    it('a redelivered notification records nothing', () => {
      repositories
        .given([createdByPush, pushed('1', 'sha256:a')])
        .when(push('1', 'sha256:a'))
        .then([]);
    });

    it('a tag moved by a later push is recorded; a late notification of the older push is not', () => {
      const later = '2026-11-22T05:10:00.000Z';
      repositories
        .given([createdByPush, pushed('1', 'sha256:a')])
        .when(push('1', 'sha256:b', later))
        .then([pushed('1', 'sha256:b', later)]);
      repositories
        .given([createdByPush, pushed('1', 'sha256:b', later)])
        .when(push('1', 'sha256:a'))
        .then([]);
    });
  });

  describe('RecordImageDeleted', () => {
    it('deletes every tag at the digest, with its size', () => {
      repositories
        .given([createdByPush, pushed('1', 'sha256:a'), pushed('latest', 'sha256:a'), pushed('2', 'sha256:b')])
        .when({ kind: 'RecordImageDeleted', repositoryId, digest: 'sha256:a', at })
        .then([
          { type: 'ImageDeleted', data: { ...fact, digest: 'sha256:a', tags: ['1', 'latest'], size: 1_000, at } },
        ]);
    });

    it('records nothing for a digest no tag points at', () => {
      repositories
        .given([createdByPush, pushed('1', 'sha256:a')])
        .when({ kind: 'RecordImageDeleted', repositoryId, digest: 'sha256:z', at })
        .then([]);
    });
  });

  describe('CreateRepository', () => {
    const create = (caller: RepositoryCaller) =>
      ({
        kind: 'CreateRepository',
        caller,
        repositoryId,
        repository,
        visibility: 'tenant',
        description: 'The web front',
        usageGuide: 'docker pull …',
        at,
      }) as const;

    it('a developer creates it with its visibility and guide', () => {
      repositories
        .given([])
        .when(create(as('developer')))
        .then([
          {
            type: 'RepositoryCreated',
            data: {
              ...fact,
              visibility: 'tenant',
              description: 'The web front',
              usageGuide: 'docker pull …',
              origin: 'api',
              at,
            },
          },
        ]);
    });

    it('a viewer may not; an existing name is a conflict', () => {
      repositories
        .given([])
        .when(create(as('viewer')))
        .thenFails('forbidden');
      repositories
        .given([createdByPush])
        .when(create(as('owner')))
        .thenFails('conflict');
    });
  });

  describe('UpdateRepository', () => {
    const update = (caller: RepositoryCaller, changes: { visibility?: 'public'; description?: string }) =>
      ({ kind: 'UpdateRepository', caller, repositoryId, at, ...changes }) as const;

    it('a developer edits the description; only a manager changes who may pull', () => {
      repositories
        .given([createdByPush])
        .when(update(as('developer'), { description: 'Front' }))
        .then([
          {
            type: 'RepositoryUpdated',
            data: { ...fact, visibility: 'private', description: 'Front', usageGuide: '', at },
          },
        ]);
      repositories
        .given([createdByPush])
        .when(update(as('developer'), { visibility: 'public' }))
        .thenFails('forbidden');
      repositories
        .given([createdByPush])
        .when(update(as('admin'), { visibility: 'public' }))
        .then([
          { type: 'RepositoryUpdated', data: { ...fact, visibility: 'public', description: '', usageGuide: '', at } },
        ]);
    });

    it('another tenant’s repository is not found; no change records nothing', () => {
      repositories
        .given([createdByPush])
        .when(update(as('owner', otherTenantId), { description: 'x' }))
        .thenFails('not_found');
      repositories
        .given([createdByPush])
        .when(update(as('owner'), {}))
        .then([]);
    });
  });

  describe('RemoveRepository', () => {
    const remove = (caller: RepositoryCaller) => ({ kind: 'RemoveRepository', caller, repositoryId, at }) as const;

    it('deletes each image still tagged, then the repository', () => {
      repositories
        .given([createdByPush, pushed('1', 'sha256:a'), pushed('2', 'sha256:b', undefined, 2_000)])
        .when(remove(as('owner')))
        .then([
          { type: 'ImageDeleted', data: { ...fact, digest: 'sha256:a', tags: ['1'], size: 1_000, at } },
          { type: 'ImageDeleted', data: { ...fact, digest: 'sha256:b', tags: ['2'], size: 2_000, at } },
          { type: 'RepositoryRemoved', data: { ...fact, at } },
        ]);
    });

    it('managers only; a removed repository is not found; a push after it creates it again', () => {
      repositories
        .given([createdByPush])
        .when(remove(as('developer')))
        .thenFails('forbidden');
      const removed: RepositoryEvent = { type: 'RepositoryRemoved', data: { ...fact, at } };
      repositories
        .given([createdByPush, removed])
        .when(remove(as('owner')))
        .thenFails('not_found');
      repositories
        .given([createdByPush, removed])
        .when(push('1', 'sha256:a'))
        .then([createdByPush, pushed('1', 'sha256:a')]);
    });
  });
});
