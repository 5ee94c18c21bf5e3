import type { ImagesEvent } from '@caas/contracts';
import { meterCommandsOfImages } from './images-facts';

const repository = { repositoryId: 'r-1', tenantId: 't-1', repository: 't-1/web' };
const market = { repositoryId: 'r-lib', tenantId: null, repository: 'library/nginx' };
const at = '2026-11-22T10:00:00.000Z';
const pushed = (repo: typeof repository | typeof market): ImagesEvent => ({
  type: 'ImagePushed',
  data: {
    ...repo,
    tag: 'v1',
    digest: 'sha256:a',
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: 1234,
    pushedAt: at,
    pushedBy: 'user:u-1',
  },
});

describe('meterCommandsOfImages: registry events as meter commands', () => {
  it('a pushed manifest stores its size under its repository and digest', () => {
    expect(meterCommandsOfImages(pushed(repository))).toEqual([
      { kind: 'RecordStorage', tenantId: 't-1', storageKind: 'image', key: 'image:r-1@sha256:a', bytes: 1234, at },
    ]);
  });

  it('a deleted manifest stores nothing from then on', () => {
    const event: ImagesEvent = {
      type: 'ImageDeleted',
      data: { ...repository, digest: 'sha256:a', tags: ['v1'], size: 1234, at },
    };
    expect(meterCommandsOfImages(event)).toEqual([
      { kind: 'RecordStorage', tenantId: 't-1', storageKind: 'image', key: 'image:r-1@sha256:a', bytes: 0, at },
    ]);
  });

  it('a removed repository clears every manifest in it, and only in it', () => {
    expect(meterCommandsOfImages({ type: 'RepositoryRemoved', data: { ...repository, at } })).toEqual([
      { kind: 'RecordStorageCleared', tenantId: 't-1', keyPrefix: 'image:r-1@', at },
    ]);
  });

  it('the image market is the platform’s: it bills nobody', () => {
    expect(meterCommandsOfImages(pushed(market))).toEqual([]);
    expect(meterCommandsOfImages({ type: 'RepositoryRemoved', data: { ...market, at } })).toEqual([]);
  });

  it('anything else is nothing to billing', () => {
    const event: ImagesEvent = {
      type: 'RepositoryCreated',
      data: { ...repository, visibility: 'private', description: '', usageGuide: '', origin: 'push', at },
    };
    expect(meterCommandsOfImages(event)).toEqual([]);
  });
});
