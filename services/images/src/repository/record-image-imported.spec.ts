import { spec } from '@caas/domain/src/decider-spec';
import { repositoryDecider } from './repository.decider';
import type { RepositoryEvent } from './repository.events';
import type { RepositoryCaller } from './repository.guards';

const repositories = spec(repositoryDecider);
const tenantId = '3f0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';
const repository = `${tenantId}/app`;
const repositoryId = 'b0000000-0000-4000-8000-000000000002';
const fact = { repositoryId, tenantId, repository };
const as = (role: RepositoryCaller['role']): RepositoryCaller => ({ tenantId, role });
const at = '2026-11-22T06:00:00.000Z';
const source = '127.0.0.1:55001/team/app:1.2';

const importing = (caller: RepositoryCaller, tag: string, digest: string) =>
  ({ kind: 'RecordImageImported', caller, ...fact, tag, digest, source, size: 2_000, at }) as const;
const imported = (tag: string, digest: string): RepositoryEvent => ({
  type: 'ImageImported',
  data: { ...fact, tag, digest, source, size: 2_000, at },
});
const createdByImport: RepositoryEvent = {
  type: 'RepositoryCreated',
  data: { ...fact, visibility: 'private', description: '', usageGuide: '', origin: 'import', at },
};
/** The registry's notification of the copy's tag, recorded after the import. */
const pushed = (tag: string, digest: string): RepositoryEvent => ({
  type: 'ImagePushed',
  data: {
    ...fact,
    tag,
    digest,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    size: 2_000,
    pushedAt: at,
    pushedBy: 'service:images',
  },
});

describe('repository decider: RecordImageImported', () => {
  it('a first import creates the repository (private, origin import), then records the import', () => {
    repositories
      .given([])
      .when(importing(as('developer'), '1.2', 'sha256:a'))
      .then([createdByImport, imported('1.2', 'sha256:a')]);
  });

  it('into an existing repository it records the import only', () => {
    repositories
      .given([createdByImport, imported('1.2', 'sha256:a'), pushed('1.2', 'sha256:a')])
      .when(importing(as('owner'), '2.0', 'sha256:b'))
      .then([imported('2.0', 'sha256:b')]);
  });

  it('a retried import records nothing, before or after the registry’s notification', () => {
    repositories
      .given([createdByImport, imported('1.2', 'sha256:a')])
      .when(importing(as('developer'), '1.2', 'sha256:a'))
      .then([]);
    repositories
      .given([createdByImport, imported('1.2', 'sha256:a'), pushed('1.2', 'sha256:a')])
      .when(importing(as('developer'), '1.2', 'sha256:a'))
      .then([]);
  });

  it('importing a tag moved by a push since is recorded again', () => {
    repositories
      .given([createdByImport, imported('1.2', 'sha256:a'), pushed('1.2', 'sha256:a'), pushed('1.2', 'sha256:b')])
      .when(importing(as('developer'), '1.2', 'sha256:a'))
      .then([imported('1.2', 'sha256:a')]);
  });

  it('the notification of the copy still records the tag after the import', () => {
    repositories
      .given([createdByImport, imported('1.2', 'sha256:a')])
      .when({
        kind: 'RecordImagePushed',
        ...fact,
        tag: '1.2',
        digest: 'sha256:a',
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        size: 2_000,
        pushedAt: at,
        pushedBy: 'service:images',
      })
      .then([pushed('1.2', 'sha256:a')]);
  });

  it('a viewer may not import', () => {
    repositories
      .given([])
      .when(importing(as('viewer'), '1.2', 'sha256:a'))
      .thenFails('forbidden');
  });
});
