import { fold } from '@caas/domain';
import { spec } from '@caas/domain/src/decider-spec';
import { containerDecider } from './container.decider';
import {
  containerId,
  deleteRequested,
  deleted,
  died,
  fact,
  gone,
  otherTenantId,
  removed,
  restartRequested,
  running,
  scheduled,
  startRequested,
  started,
  stopRequested,
  stopped,
  t1,
  t2,
  t3,
  t4,
  tenantId,
} from './container.decider-fixtures';

const container = spec(containerDecider);
const base = (at: string, tenant = tenantId) => ({ tenantId: tenant, containerId, at });
const recordStarted = (at = t1, tenant = tenantId) =>
  ({ kind: 'RecordContainerStarted', ...base(at, tenant) }) as const;
const recordDied = (at = t2, exitCode = 1, oomKilled = false, tenant = tenantId) =>
  ({ kind: 'RecordContainerDied', ...base(at, tenant), exitCode, oomKilled }) as const;
const recordStopped = (at = t2, reason?: 'host-drained', tenant = tenantId) =>
  ({ kind: 'RecordContainerStopped', ...base(at, tenant), reason }) as const;
const recordRemoved = (at = t3, reason?: 'orphan', tenant = tenantId) =>
  ({ kind: 'RecordContainerRemoved', ...base(at, tenant), reason }) as const;

describe('container decider: observed facts (the reconciler)', () => {
  describe('RecordContainerStarted', () => {
    it('records the first start', () => container.given([scheduled]).when(recordStarted()).then([started()]));
    it('records a start after a death (the restart policy) or a stop', () => {
      container
        .given([...running, died()])
        .when(recordStarted(t3))
        .then([started(t3)]);
      container
        .given([...running, stopRequested(), stopped(), startRequested(t3)])
        .when(recordStarted(t4))
        .then([started(t4)]);
    });
    it('records it even when a stop is wanted: it is a fact, the reconciler then stops it', () =>
      container
        .given([scheduled, stopRequested(t1)])
        .when(recordStarted(t2))
        .then([started(t2)]));
    it('is idempotent: a running container, or a start older than the last fact, records nothing', () => {
      container.given(running).when(recordStarted(t1)).then([]);
      container.given(running).when(recordStarted(t3)).then([]);
      // the start before a death, redelivered after it
      container
        .given([...running, died(t2)])
        .when(recordStarted(t1))
        .then([]);
    });
    it('records nothing for a removed container', () => container.given(gone).when(recordStarted(t4)).then([]));
    it('answers not_found for an unknown or other tenant’s container', () => {
      container.given([]).when(recordStarted()).thenFails('not_found');
      container.given([scheduled]).when(recordStarted(t1, otherTenantId)).thenFails('not_found');
    });
  });

  describe('RecordContainerDied', () => {
    it('records the exit code and an OOM kill', () => {
      container.given(running).when(recordDied()).then([died()]);
      container
        .given(running)
        .when(recordDied(t2, 137, true))
        .then([died(t2, 137, true)]);
      expect(fold(containerDecider, [...running, died(t2, 137, true)])).toMatchObject({
        observed: 'exited',
        exitCode: 137,
        oomKilled: true,
        desired: 'running',
      });
    });
    it('records a death whose start was missed', () => container.given([scheduled]).when(recordDied()).then([died()]));
    it('an exit the platform asked for is a stop, with the reason asked for', () => {
      container
        .given([...running, stopRequested(t2)])
        .when(recordDied(t3, 143))
        .then([{ type: 'ContainerStopped', data: { ...fact(t3), reason: 'requested' } }]);
      container
        .given([...running, deleteRequested(t2, 'scaled-down')])
        .when(recordDied(t3, 0))
        .then([{ type: 'ContainerStopped', data: { ...fact(t3), reason: 'scaled-down' } }]);
    });
    it('is idempotent: a redelivered die, or one older than the last fact, records nothing', () => {
      container
        .given([...running, died(t2)])
        .when(recordDied(t2))
        .then([]);
      container
        .given([...running, stopRequested(), stopped(t2)])
        .when(recordDied(t2))
        .then([]);
      // an old die redelivered after the restart that followed it
      container
        .given([...running, died(t2), started(t3)])
        .when(recordDied(t2))
        .then([]);
      container.given(gone).when(recordDied(t4)).then([]);
    });
    it('answers not_found for an unknown or other tenant’s container', () => {
      container.given([]).when(recordDied()).thenFails('not_found');
      container
        .given(running)
        .when(recordDied(t2, 1, false, otherTenantId))
        .thenFails('not_found');
    });
  });

  describe('RecordContainerStopped', () => {
    it('records the stop with the reason it was asked for', () => {
      container
        .given([...running, stopRequested()])
        .when(recordStopped(t3))
        .then([stopped(t3)]);
      container
        .given(running)
        .when(recordStopped(t2, 'host-drained'))
        .then([stopped(t2, 'host-drained')]);
    });
    it('is idempotent: a container not running records nothing', () => {
      container
        .given([...running, stopped(t2)])
        .when(recordStopped(t2))
        .then([]);
      container
        .given([...running, died(t2)])
        .when(recordStopped(t2))
        .then([]);
      container.given([scheduled]).when(recordStopped(t2)).then([]);
      container
        .given([...running, died(t2), started(t3)])
        .when(recordStopped(t2))
        .then([]);
      container.given(gone).when(recordStopped(t4)).then([]);
    });
    it('answers not_found for an unknown or other tenant’s container', () => {
      container.given([]).when(recordStopped()).thenFails('not_found');
      container
        .given(running)
        .when(recordStopped(t2, undefined, otherTenantId))
        .thenFails('not_found');
    });
  });

  describe('RecordContainerRemoved', () => {
    it('records the removal of a deleted container, with the reason of the delete', () => {
      container.given(deleted).when(recordRemoved()).then([removed()]);
      container
        .given([...running, deleteRequested(t2, 'scaled-down')])
        .when(recordRemoved())
        .then([removed(t3, 'scaled-down')]);
    });
    it('is final, and idempotent', () => {
      container.given(gone).when(recordRemoved(t4)).then([]);
      expect(fold(containerDecider, gone)).toMatchObject({ desired: 'deleted', observed: 'removed' });
    });
    it('refuses a container whose deletion nobody asked for: a lost container is recorded as died', () => {
      container
        .given(running)
        .when(recordRemoved())
        .thenFails('conflict', /not being deleted/);
      container
        .given([...running, stopRequested()])
        .when(recordRemoved())
        .thenFails('conflict');
    });
    it('answers not_found for an unknown or other tenant’s container', () => {
      container.given([]).when(recordRemoved()).thenFails('not_found');
      container
        .given(deleted)
        .when(recordRemoved(t3, undefined, otherTenantId))
        .thenFails('not_found');
    });
  });

  it('a restart clears once the container has started again', () => {
    const history = [...running, restartRequested(t2), stopped(t3)];
    expect(fold(containerDecider, history)).toMatchObject({ startPending: true, restartPending: false });
    expect(fold(containerDecider, [...history, started(t4)])).toMatchObject({
      observed: 'running',
      startPending: false,
      restartPending: false,
      observedAt: t4,
    });
  });
});
