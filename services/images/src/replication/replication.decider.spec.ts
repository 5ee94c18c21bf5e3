import { spec } from '@caas/domain/src/decider-spec';
import type { RepositoryCaller } from '../repository/repository.guards';
import { retryDelayMs } from './replication-backoff';
import { replicationDecider } from './replication.decider';
import type { ReplicationEvent } from './replication.events';

const replications = spec(replicationDecider);
const tenantId = '3f0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';
const otherTenantId = '9a0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10';
const repositoryId = 'b0000000-0000-4000-8000-000000000001';
const replicationId = 'c0000000-0000-4000-8000-000000000001';
const repository = `${tenantId}/web`;
const fact = { replicationId, tenantId, repositoryId, repository };
const target = { targetUrl: 'http://127.0.0.1:55001', targetRepository: 'mirror/web' };
const as = (role: RepositoryCaller['role'], tenant = tenantId): RepositoryCaller => ({ tenantId: tenant, role });
const at = '2026-11-22T06:00:00.000Z';

const created: ReplicationEvent = {
  type: 'ReplicationCreated',
  data: { ...fact, sourceRegistry: 'http://127.0.0.1:55000', ...target, at },
};
const removed: ReplicationEvent = { type: 'ReplicationRemoved', data: { ...fact, at } };
const replicated = (tag: string, digest: string): ReplicationEvent => ({
  type: 'ImageReplicated',
  data: { ...fact, tag, digest, target: `127.0.0.1:55001/mirror/web:${tag}`, at },
});
const replicate = (tag: string, digest: string) =>
  ({ kind: 'RecordImageReplicated', replicationId, tag, digest, at }) as const;

describe('replication decider', () => {
  describe('CreateReplication', () => {
    const create = (caller: RepositoryCaller) =>
      ({
        kind: 'CreateReplication',
        caller,
        replicationId,
        repositoryId,
        repository,
        sourceRegistry: 'http://127.0.0.1:55000',
        ...target,
        at,
      }) as const;

    it('an owner or admin creates it', () => {
      replications
        .given([])
        .when(create(as('admin')))
        .then([created]);
    });

    it('a developer may not; the same one twice is a conflict; one removed may be created again', () => {
      replications
        .given([])
        .when(create(as('developer')))
        .thenFails('forbidden');
      replications
        .given([created])
        .when(create(as('owner')))
        .thenFails('conflict');
      replications
        .given([created, removed])
        .when(create(as('owner')))
        .then([created]);
    });
  });

  describe('RemoveReplication', () => {
    const remove = (caller: RepositoryCaller, ofRepository = repositoryId) =>
      ({ kind: 'RemoveReplication', caller, replicationId, repositoryId: ofRepository, at }) as const;

    it('a manager removes it', () => {
      replications
        .given([created])
        .when(remove(as('owner')))
        .then([removed]);
    });

    it('another tenant’s, another repository’s or a removed one is not found; a developer may not', () => {
      replications
        .given([created])
        .when(remove(as('owner', otherTenantId)))
        .thenFails('not_found');
      replications
        .given([created])
        .when(remove(as('owner'), 'b0000000-0000-4000-8000-000000000009'))
        .thenFails('not_found');
      replications
        .given([created, removed])
        .when(remove(as('owner')))
        .thenFails('not_found');
      replications
        .given([created])
        .when(remove(as('developer')))
        .thenFails('forbidden');
    });
  });

  describe('RecordImageReplicated (the worker copied a tag)', () => {
    it('records the copy with where it is in the target', () => {
      replications
        .given([created])
        .when(replicate('1', 'sha256:a'))
        .then([replicated('1', 'sha256:a')]);
    });

    it('is idempotent by tag and digest; a moved tag is recorded again', () => {
      replications
        .given([created, replicated('1', 'sha256:a')])
        .when(replicate('1', 'sha256:a'))
        .then([]);
      replications
        .given([created, replicated('1', 'sha256:a')])
        .when(replicate('1', 'sha256:b'))
        .then([replicated('1', 'sha256:b')]);
    });

    it('a removed replication records nothing; created again, it replicates every tag anew', () => {
      replications
        .given([created, replicated('1', 'sha256:a'), removed])
        .when(replicate('1', 'sha256:a'))
        .then([]);
      replications
        .given([created, replicated('1', 'sha256:a'), removed, created])
        .when(replicate('1', 'sha256:a'))
        .then([replicated('1', 'sha256:a')]);
    });
  });

  describe('RecordReplicationFailed', () => {
    const fail = (attempt: number, retryAt: string | null) =>
      ({
        kind: 'RecordReplicationFailed',
        replicationId,
        tag: '1',
        digest: 'sha256:a',
        reason: 'connect ECONNREFUSED',
        attempt,
        retryAt,
        at,
      }) as const;

    it('records each failed attempt with when it is retried', () => {
      const retryAt = '2026-11-22T06:00:02.000Z';
      replications
        .given([created])
        .when(fail(1, retryAt))
        .then([
          {
            type: 'ReplicationFailed',
            data: { ...fact, tag: '1', digest: 'sha256:a', reason: 'connect ECONNREFUSED', attempt: 1, retryAt, at },
          },
        ]);
    });

    it('records nothing for a removed replication', () => {
      replications.given([created, removed]).when(fail(1, null)).then([]);
    });
  });

  it('retries back off by doubling, up to five minutes', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(retryDelayMs(20)).toBe(300_000);
  });
});
