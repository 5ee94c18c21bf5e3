import { spec } from '@caas/domain/src/decider-spec';
import type { PublishToMarket } from './publish-to-market';
import { repositoryDecider } from './repository.decider';
import type { RepositoryEvent } from './repository.events';

const repositories = spec(repositoryDecider);
const tenantId = '3f0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';
const otherTenantId = '9a0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';
const repositoryId = 'd0000000-0000-4000-8000-000000000001';
const submissionId = 'c0000000-0000-4000-8000-000000000001';
const repository = 'library/busybox';
const fact = { repositoryId, tenantId: null, repository };
const at = '2026-11-22T06:00:00.000Z';
const mediaType = 'application/vnd.docker.distribution.manifest.v2+json';

const publish = (changes: Partial<PublishToMarket> = {}): PublishToMarket => ({
  kind: 'PublishToMarket',
  repositoryId,
  repository,
  submissionId,
  publisherTenantId: tenantId,
  description: 'A tiny shell',
  usageGuide: 'docker run …',
  tag: '1',
  digest: 'sha256:a',
  mediaType,
  size: 1_000,
  by: 'user:admin',
  at,
  ...changes,
});
const created: RepositoryEvent = {
  type: 'RepositoryCreated',
  data: { ...fact, visibility: 'public', description: 'A tiny shell', usageGuide: 'docker run …', origin: 'api', at },
};
const pushed = (digest = 'sha256:a', pushedBy = 'user:admin'): RepositoryEvent => ({
  type: 'ImagePushed',
  data: { ...fact, tag: '1', digest, mediaType, size: 1_000, pushedAt: at, pushedBy },
});
const published = (publisherTenantId = tenantId, id = submissionId, digest = 'sha256:a'): RepositoryEvent => ({
  type: 'MarketImagePublished',
  data: { ...fact, submissionId: id, publisherTenantId, tag: '1', digest, at },
});

describe('PublishToMarket (an approved submission, copied into library/…)', () => {
  it('creates the market repository: no tenant, public, with the description and guide, and its tag', () => {
    repositories.given([]).when(publish()).then([created, pushed(), published()]);
  });

  it('after the registry’s notification of the copy came first: made public, the tag not recorded twice', () => {
    const createdByPush: RepositoryEvent = {
      type: 'RepositoryCreated',
      data: { ...fact, visibility: 'private', description: '', usageGuide: '', origin: 'push', at },
    };
    repositories
      .given([createdByPush, pushed('sha256:a', 'service:images')])
      .when(publish())
      .then([
        {
          type: 'RepositoryUpdated',
          data: { ...fact, visibility: 'public', description: 'A tiny shell', usageGuide: 'docker run …', at },
        },
        published(),
      ]);
  });

  it('a retried approval records nothing', () => {
    repositories.given([created, pushed(), published()]).when(publish()).then([]);
  });

  it('the same tenant publishes a new version under its name', () => {
    const next = 'c0000000-0000-4000-8000-000000000002';
    repositories
      .given([created, pushed(), published()])
      .when(publish({ submissionId: next, digest: 'sha256:b' }))
      .then([pushed('sha256:b'), published(tenantId, next, 'sha256:b')]);
  });

  it('a name another tenant published first is a conflict', () => {
    repositories
      .given([created, pushed(), published(otherTenantId)])
      .when(publish({ submissionId: 'c0000000-0000-4000-8000-000000000003' }))
      .thenFails('conflict', /taken by another tenant/);
  });
});
